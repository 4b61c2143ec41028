"""The role names of a shared server: the owner role and the three group roles (a leaf: imports nothing)."""

OWNER_ROLE = "liandu_owner"  # NOLOGIN: owns every table, function and trigger, and alone migrates the schema
CLERK_GROUP = "liandu_clerk"
REVIEWER_GROUP = "liandu_reviewer"
ADMIN_GROUP = "liandu_admin"
GROUPS = (CLERK_GROUP, REVIEWER_GROUP, ADMIN_GROUP)
