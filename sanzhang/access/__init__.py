"""Who may see and do what: the one access module (roles as data, scope, menus)."""
