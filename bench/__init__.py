"""The benchmark (``manage.py bench``): seeds a large, realistic data set on
PostgreSQL, measures the pages, writes and background jobs people rely on, and
reports them beside the database's own time. Not a test: nothing here asserts a
speed; the numbers are printed and written to ``var/bench/``."""
