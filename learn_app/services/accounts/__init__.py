"""People: sign-in and tokens, passwords, rate limits, profiles, admin user lists, classes."""
