"""Querysets of a fixed shape, compiled to SQL once per thread and database instead of on every run.

Django compiles a queryset to SQL each time it is evaluated. For the public pages' reads that cost more than
PostgreSQL took to run them: 2.7 ms to compile the verdict page's seven-table `select_related` query, against 0.7 ms
to run it. A `Statement` builds its queryset once with stand-in values, keeps what Django's compiler made of it (the
SQL, the converters, how a row maps onto models) and on each run binds the real values into the same SQL. Rows come
back as a `values()` queryset gives them (dicts) or as model instances with their `select_related` relations, and
the queryset's `prefetch_related` lookups run as usual.

Only values compared for equality or membership can be bound (`slug=…`, `pk__in=…`): a lookup that rewrites its
value (`icontains` wraps it in %) would hide the stand-in, and the statement refuses to compile. A queryset's own
slice is part of the SQL, so it is fixed; a page of an unsliced one is `rows(..., limit=, offset=)`.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ValuesIterable, get_related_populators

Argument = str | int | Sequence[int]

# Stand-ins no real value takes: a string holding noncharacters, and integers near -2**62.
_TEXT_STAND_IN = "\uffffstatement-argument-{}\uffff"
_NUMBER_STAND_IN = -(2**62)


def _stand_in(position: int, argument: Argument) -> Argument:
    if isinstance(argument, str):
        return _TEXT_STAND_IN.format(position)
    if isinstance(argument, int):
        return _NUMBER_STAND_IN + position * 1_000_000
    return [_NUMBER_STAND_IN + position * 1_000_000 + 1 + n for n in range(len(argument))]


def _shape(arguments: tuple[Argument, ...]) -> tuple:
    return tuple(type(a).__name__ if isinstance(a, str | int) else len(a) for a in arguments)


@dataclass
class _Compiled:
    names: list[str] | None  # a values() queryset's keys; None for models
    model: type[Model] | None
    prefetches: tuple
    sql: str | None = None  # None: the query matches no row (Django's EmptyResultSet)
    sliced: bool = False
    params: list = field(default_factory=list)  # the compiled parameters, stand-ins included
    slots: list[tuple[int, int, int | None]] = field(default_factory=list)  # (parameter, argument, list index)
    converters: list = field(default_factory=list)  # (column, converters, expression), as the compiler gives them
    # How a row becomes models, as Django's ModelIterable does it.
    model_columns: tuple[int, int] = (0, 0)
    init_list: list[str] = field(default_factory=list)
    populators: list = field(default_factory=list)
    annotations: dict[str, int] = field(default_factory=dict)


class Statement:
    """`build(*arguments)` returns the queryset; `rows(*arguments)` and `instances(*arguments)` run it."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default") -> None:
        self.build, self.using = build, using
        self._compiled = threading.local()  # Django's connections, and so compilers, are per thread

    def rows(self, *arguments: Argument, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """The rows of a `values()` queryset, as dicts; `limit` rows from `offset` on, as a slice would give them."""
        compiled, rows = self._run(arguments, limit, offset)
        if compiled.names is None:
            raise TypeError("rows() runs a values() queryset; use instances() for models")
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def instances(self, *arguments: Argument) -> list[Model]:
        """The model instances, with their `select_related` relations and `prefetch_related` lookups."""
        compiled, rows = self._run(arguments)
        if compiled.model is None:
            raise TypeError("instances() runs a queryset of models; use rows() for values()")
        start, end = compiled.model_columns
        db = self.using
        found = []
        for row in rows:
            obj = compiled.model.from_db(db, compiled.init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, column in compiled.annotations.items():
                setattr(obj, name, row[column])
            found.append(obj)
        if found and compiled.prefetches:
            prefetch_related_objects(found, *compiled.prefetches)
        return found

    def sql(self, *arguments: Argument) -> tuple[str, list] | None:
        """The SQL and its parameters with these values bound, to run inside other SQL (a count, an EXPLAIN); None
        when the query can match no row."""
        compiled = self._compile(connections[self.using], arguments)
        return None if compiled.sql is None else (compiled.sql, self._bound(compiled, arguments))

    @staticmethod
    def _bound(compiled: _Compiled, arguments: tuple[Argument, ...]) -> list:
        params = list(compiled.params)
        for position, argument, index in compiled.slots:
            params[position] = arguments[argument] if index is None else arguments[argument][index]
        return params

    def _run(
        self, arguments: tuple[Argument, ...], limit: int | None = None, offset: int = 0
    ) -> tuple[_Compiled, list[list]]:
        connection = connections[self.using]
        compiled = self._compile(connection, arguments)
        if limit is not None and compiled.sliced:
            raise ValueError("the queryset is sliced already: build it without a slice to read it by pages")
        if compiled.sql is None or limit == 0:
            return compiled, []
        sql, params = compiled.sql, self._bound(compiled, arguments)
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return compiled, rows
        converted = []
        for row in map(list, rows):
            for column, functions, expression in compiled.converters:
                value = row[column]
                for function in functions:
                    value = function(value, expression, connection)
                row[column] = value
            converted.append(row)
        return compiled, converted

    def _compile(self, connection, arguments: tuple[Argument, ...]) -> _Compiled:
        cache = self._compiled.__dict__.setdefault(connection.alias, {})
        shape = _shape(arguments)
        if shape not in cache:
            stand_ins = [_stand_in(n, a) for n, a in enumerate(arguments)]
            places = {}
            for n, stand_in in enumerate(stand_ins):
                if isinstance(stand_in, list):
                    places.update({value: (n, index) for index, value in enumerate(stand_in)})
                else:
                    places[stand_in] = (n, None)
            compiled = _compile(self.build(*stand_ins), connection, places)
            if compiled.sql is not None:
                _check_slots(compiled, arguments)
            cache[shape] = compiled
        return cache[shape]


def _check_slots(compiled: _Compiled, arguments: tuple[Argument, ...]) -> None:
    expected = sum(1 if isinstance(a, str | int) else len(a) for a in arguments)
    if len(compiled.slots) != expected:
        raise ValueError(
            f"a statement found {len(compiled.slots)} of its {expected} values in the compiled SQL: only values "
            "compared for equality or membership can be bound"
        )


def _compile(queryset: QuerySet, connection, places: dict) -> _Compiled:
    query = queryset.query
    values = issubclass(queryset._iterable_class, ValuesIterable)
    compiled = _Compiled(
        names=_names(query) if values else None,
        model=None if values else queryset.model,
        prefetches=tuple(queryset._prefetch_related_lookups),
        sliced=query.is_sliced,
    )
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # `pk__in=[]`: no row can match, whatever the other values
        return compiled
    compiled.sql, compiled.params = sql, list(params)
    compiled.slots = [
        (p, *places[value]) for p, value in enumerate(params) if isinstance(value, str | int) and value in places
    ]
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    compiled.converters = [(c, functions, e) for c, (functions, e) in compiler.get_converters(fields).items()]
    if not values:
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        compiled.model_columns = (start, end)
        compiled.init_list = [column[0].target.attname for column in compiler.select[start:end]]
        compiled.populators = get_related_populators(info, compiler.select, connection.alias)
        compiled.annotations = dict(compiler.annotation_col_map or {})
    return compiled


def _names(query) -> list[str]:
    # As Django's ValuesIterable names a row's values.
    if query.selected:
        return list(query.selected)
    return [*query.extra_select, *query.values_select, *query.annotation_select]


def hand_prefetched(instance: Model, relation: str, objects: list[Model]) -> None:
    """Give `instance.<relation>.all()` these objects, read by a statement, as `prefetch_related` would have.

    Django keeps prefetched rows in the instance's `_prefetched_objects_cache`, as the relation's own queryset with
    its results filled in; this stores them the same way, so the relation reads them without a query, and anything
    that filters the relation further still queries the right rows.
    """
    manager = getattr(instance, relation)
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    # Where the relation's manager looks: many-to-many managers name it, one-to-many ones read their field's.
    name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    instance._prefetched_objects_cache[name] = queryset
