"""Human handoff, domain core: business hours, transcripts, tickets and their export.

Plain Python (no Rasa imports), so the action server, a console and scripts can all use it.
"""
