"""Record types as data. Imports run one way: `definitions` (the form definitions in
resources/forms, their types and their loading) <- `values` (how each field type is checked and
stored) <- `validation` (the one validator, used by the device and the server alike);
`reference` (governorates and districts) stands alone.
"""
