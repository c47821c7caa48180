"""Who is asking and what they may see and do: principals, roles, scopes, users, tokens, partner grants."""
