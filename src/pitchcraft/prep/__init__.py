"""Preparing and running many profiles: the interview, the CRM import, batch generation and the
coverage summary. Each calls the pipeline; the pipeline never calls them."""
