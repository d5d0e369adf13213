"""Request and response shapes of the REST API by domain, kept apart from the table models.

Responses list their fields explicitly so nothing private (password hashes, failed sign-in
counts, lock-out times) can leak by accident. Requests forbid unknown fields, so a typo or an
attempt to set something not offered (`{"role": "admin"}` on a profile) is an error, not a no-op.
Values are checked by the services, which word the messages; the shapes only fix the types.
"""
