"""PDF documents after GB/T 9704: fonts, page geometry, official-document flowables and the batch renderer."""
