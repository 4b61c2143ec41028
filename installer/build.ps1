# Build Liandu Desk on Windows: a virtual environment, the one-folder bundle, then the installer (needs Inno Setup 6).
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
.\.venv\Scripts\python.exe -m pip install --upgrade pip
.\.venv\Scripts\python.exe -m pip install -e . "pyinstaller>=6.5"
.\.venv\Scripts\python.exe -m PyInstaller --noconfirm --clean --distpath build\dist --workpath build\work installer\liandu_desk.spec
.\build\dist\liandu-desk\liandu-desk-cli.exe --version
$iscc = Get-Command iscc -ErrorAction SilentlyContinue
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
$version = (.\.venv\Scripts\python.exe -c "import liandu_desk; print(liandu_desk.__version__)")
& $iscc "/DAppVersion=$version" installer\liandu_desk.iss
Write-Host "installer: build\installer\LianduDesk-Setup-$version.exe"
