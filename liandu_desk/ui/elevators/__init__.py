"""The 加装电梯 room: tab, project page, votes, disputes, mediation and forms."""
