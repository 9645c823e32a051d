"""Record types as data: `definitions` (the form definitions in resources/forms and their
loading), `validation` (the one validator, used by the device and the server alike) and
`reference` (governorates and districts).
"""
