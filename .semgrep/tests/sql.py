from django.db import connection
from django.db.models.expressions import RawSQL

from sanzhang.issues.models import Issue


def examples(name, pk):
    with connection.cursor() as cursor:
        # ruleid: sanzhang-sql-formatted
        cursor.execute(f"SELECT * FROM issues_issue WHERE title = '{name}'")
        # ruleid: sanzhang-sql-formatted
        cursor.execute("SELECT * FROM issues_issue WHERE title = '%s'" % name)
        # ruleid: sanzhang-sql-formatted
        cursor.execute("SELECT * FROM issues_issue WHERE id = {}".format(pk))
        # ruleid: sanzhang-sql-formatted
        cursor.execute("SELECT * FROM issues_issue WHERE title = '" + name + "'")
        # ruleid: sanzhang-sql-formatted
        cursor.executemany(f"INSERT INTO t VALUES ('{name}')", [])
        # ok: sanzhang-sql-formatted
        cursor.execute("SELECT * FROM issues_issue WHERE title = %s", [name])
        # ok: sanzhang-sql-formatted
        cursor.execute("SELECT 1")
    # ruleid: sanzhang-sql-formatted
    Issue.objects.raw(f"SELECT * FROM issues_issue WHERE id = {pk}")
    # ok: sanzhang-sql-formatted
    Issue.objects.raw("SELECT * FROM issues_issue WHERE id = %s", [pk])
    # ruleid: sanzhang-sql-formatted
    Issue.objects.annotate(x=RawSQL(f"SELECT '{name}'", ()))
    # ok: sanzhang-sql-formatted
    Issue.objects.annotate(x=RawSQL("SELECT %s", (name,)))


def through_a_variable(name, columns):
    # ruleid: sanzhang-sql-formatted
    sql = f"DELETE FROM issues_issue WHERE title = '{name}'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
    # ruleid: sanzhang-sql-formatted
    insert = (  # a parenthesised value is found on the line of its "("
        f"INSERT INTO issues_issue ({', '.join(columns)}) "
        "VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(insert, [])
    # ok: sanzhang-sql-formatted
    query = "SELECT * FROM issues_issue WHERE title = %s"
    Issue.objects.raw(query, [name])
    # ok: sanzhang-sql-formatted
    label = f"issue {name}"
    print(label)


def marked(pk):
    with connection.cursor() as cursor:
        # ok: sanzhang-sql-formatted
        cursor.execute(f"DELETE FROM {Issue._meta.db_table}")  # nosemgrep: sanzhang-sql-formatted # ours


def extra(name):
    # ruleid: sanzhang-queryset-extra
    Issue.objects.extra(where=[f"title = '{name}'"])
    # ok: sanzhang-queryset-extra
    Issue.objects.filter(title=name)
