"""Lists of records: lazy models over the store's keyset pages and search, and the screens
built on them (households, a household's page, activities)."""
