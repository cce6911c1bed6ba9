"""The public site's pages: server-rendered, cached, readable without JavaScript.

listing: the searchable list; verdicts: a fact-check and its old versions; browse: claimants and topics;
record: the methodology and the corrections log; present: what the templates are given.
"""
