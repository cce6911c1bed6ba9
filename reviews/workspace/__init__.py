"""The workspace: server-rendered pages where journalists and reviewers do their job in a browser.

Editors work in the admin. Every page here calls the same services and selectors as the API, so a rule holds in
both places or in neither. Pages work without JavaScript; scripts only add conveniences.
"""
