"""``AnyOf(column, subquery)``: the rows whose ``column`` is one of the values a subquery returns,
planned as index probes however stale the table's statistics are.

``filter(employee__in=staff)`` is ``employee_id IN (SELECT …)``, which PostgreSQL may turn into a
hash join over the whole table when its statistics are stale: after a national run has written
millions of a cycle's rows that autovacuum has not analysed yet, it believed a cycle held 50,000
rows when it held 11 million, and an agency's delete scanned them all (2.2 s, growing with every
agency written). ``employee_id = ANY(ARRAY(SELECT …))`` computes the list first and probes the
index once per value, whatever the statistics say. Elsewhere (SQLite) it is the plain IN.
"""

from django.db.models import BooleanField, Expression, F, Subquery


class AnyOf(Expression):
    """A condition for ``filter()``: ``column`` is one of the values ``queryset`` (one column) returns."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, queryset):
        super().__init__()
        self.column = F(column) if isinstance(column, str) else column
        self.values = Subquery(queryset.order_by())  # a list: its order is of no use

    def get_source_expressions(self):
        return [self.column, self.values]

    def set_source_expressions(self, expressions):
        self.column, self.values = expressions

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        values, values_params = compiler.compile(self.values)  # "(SELECT …)"
        return "%s IN %s" % (column, values), (*column_params, *values_params)

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        values, values_params = compiler.compile(self.values)
        return "%s = ANY(ARRAY%s)" % (column, values), (*column_params, *values_params)
