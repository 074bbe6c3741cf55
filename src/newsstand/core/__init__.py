"""Pure decisions and transformations. No Django, no HTTP, no database, no clock."""
