"""Bulk writes and reads past the ORM, one stack for the generators, the imports, the TNA run and the recommender.

- ``mode``: SQLite settings for the length of a bulk write (``bulk_write_mode``).
- ``rows``: rows as tuples inserted (COPY or executemany) and updated (``insert_rows``, ``update_rows``).
- ``columns``: rows as NumPy column arrays, binary COPY on PostgreSQL (``column_writer``).
- ``pgbinary``: PostgreSQL's binary COPY and ``int8send`` formats, built and parsed by NumPy.
- ``indexes``: a table's plain indexes dropped for a large load and built after (``indexes_deferred``).
- ``partitions``: a fresh PostgreSQL partition loaded and swapped in for a list partition.
- ``reading``: integer columns of a QuerySet read in bulk into a DataFrame (``int_frame``).

Values are always database-ready (ids for foreign keys, datetimes through ``db_now`` or
``connection.ops``); table and column names come from the model's ``_meta`` and are quoted by
the backend. Model instances, ``save()`` and signals are skipped.
"""
