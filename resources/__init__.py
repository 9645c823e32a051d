"""The shipped data files, installed as the package `fieldapp.resources` (see fieldapp/paths.py):
record types (forms/), messages in ar/ckb/en (messages/), governorates and districts
(reference/), and the phrases of the sample-data generator (sample/).
"""
