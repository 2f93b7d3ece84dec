"""Creates the application's PostgreSQL role for IAM authentication, through the RDS Data API.

Terraform invokes this function (aws_lambda_invocation) when the role's definition changes. It runs the
statements below as the master user through the Data API, which reads the master secret itself: no network
path to the database, no password in this function, in Terraform state or in any pod. Every statement is
idempotent, so a re-run (or a run against a database restored from a snapshot) converges to the same grants.

The role may log in only with IAM auth tokens (rds_iam) and has no password. It owns what its migrations create in
the public schema, and it inherits <user>_owner, a NOLOGIN role that takes over the tables, views and sequences the
master user created (after an upgrade from the design in which the application connected as the master user; else
the next migration that alters one would fail: PostgreSQL lets only the owner ALTER, DROP or index a table). The
master user never becomes a member of the login role: a member of a role with rds_iam can log in with IAM tokens only.
"""

import os
import re
import time

import boto3

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

# Data API errors worth retrying: a writer that is still starting or failing over.
RETRYABLE = ("DatabaseUnavailableException", "DatabaseResumingException", "ServiceUnavailableError", "StatementTimeoutException")


def owner_of(user):
    """The NOLOGIN role that owns the application's pre-existing objects (see statements)."""
    return user + "_owner" if len(user) <= 56 else user[:56] + "_owner"


def statements(user, database):
    """The SQL that makes `user` an IAM-only login role of `database`, in order (the per-object ownership moves follow,
    see handler)."""
    for name, value in (("USER_NAME", user), ("DATABASE_NAME", database)):
        if not IDENTIFIER.match(value or ""):
            raise ValueError(f"{name} '{value}' is not a PostgreSQL identifier (lower-case letters, digits, underscores)")
    owner = owner_of(user)
    return [
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '%s') "
        "THEN CREATE ROLE %s LOGIN; END IF; END $$" % (user, user),
        # No password at all: with rds_iam granted PostgreSQL accepts only IAM auth tokens for this role.
        "ALTER ROLE %s WITH LOGIN PASSWORD NULL" % user,
        "GRANT rds_iam TO %s" % user,
        "GRANT CONNECT, TEMPORARY ON DATABASE %s TO %s" % (database, user),
        "GRANT USAGE, CREATE ON SCHEMA public TO %s" % user,
        # The master user's objects move to a NOLOGIN owner role the application inherits, never to the login role:
        # the master must be a member of the new owner (PostgreSQL 16, ALTER ... OWNER TO), and a member of a role that
        # has rds_iam can log in with IAM tokens only (RDS User Guide, IAM database authentication limitations), which
        # would lock the master secret, the Data API and any password proxy out.
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '%s') "
        "THEN CREATE ROLE %s NOLOGIN; END IF; END $$" % (owner, owner),
        "GRANT %s TO CURRENT_USER" % owner,
        "GRANT %s TO %s" % (owner, user),
        # Anything an operator later creates as the master user stays usable by the application.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %s" % user,
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %s" % user,
    ]


# The master user's tables, views and sequences in public, each with the ALTER keyword of its kind; sequences owned by a
# column or an identity move with their table, extension members stay the extension's.
OWNED_OBJECTS = (
    "SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, "
    "c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user) "
    "AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
    "AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) "
    "AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x WHERE x.objid = c.oid AND x.deptype = 'e') "
    "ORDER BY c.relname"
)

# Fails the run if the master user could only log in with IAM tokens any more (it inherits rds_iam).
MASTER_KEEPS_PASSWORD_LOGIN = (
    "DO $$ BEGIN IF pg_has_role(current_user, 'rds_iam', 'USAGE') THEN "
    "RAISE EXCEPTION 'the master user inherits rds_iam: its password login would stop working'; END IF; END $$"
)


def ownership_moves(records, user):
    """One ALTER per object (its own transaction: a lock is held for one table at a time, for at most 5 s)."""
    owner = owner_of(user)
    moves = []
    for kind, name in ((r[0]["stringValue"], r[1]["stringValue"]) for r in records):
        if kind not in ("TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE"):
            raise ValueError(f"unexpected object kind {kind}")
        if "$easypay_move$" in name:
            raise ValueError(f"object name {name!r} contains the statement's quote tag")
        # A tagged dollar quote: an object name may contain anything, "$$" included.
        moves.append("DO $easypay_move$ BEGIN PERFORM set_config('lock_timeout', '5s', true); "
                     "EXECUTE 'ALTER %s public.' || quote_ident(%s) || ' OWNER TO %s'; END $easypay_move$"
                     % (kind, "'" + name.replace("'", "''") + "'", owner))
    return moves


def execute(client, sql, attempts=6, delay=10.0, sleep=time.sleep):
    for attempt in range(1, attempts + 1):
        try:
            return client.execute_statement(
                resourceArn=os.environ["CLUSTER_ARN"],
                secretArn=os.environ["MASTER_SECRET_ARN"],
                database=os.environ["DATABASE_NAME"],
                sql=sql,
            )
        except Exception as error:  # botocore raises ClientError subclasses named by the service's error code
            details = getattr(error, "response", {}).get("Error", {})
            code, message = details.get("Code", type(error).__name__), details.get("Message", str(error))
            # Right after enable_http_endpoint (an upgrade applies it in the same run) the endpoint may still refuse.
            starting_endpoint = code == "BadRequestException" and "HttpEndpoint" in message
            if (code not in RETRYABLE and not starting_endpoint) or attempt == attempts:
                raise
            sleep(delay)


def handler(event, context, client=None):
    client = client or boto3.client("rds-data")
    user, database = os.environ.get("USER_NAME"), os.environ.get("DATABASE_NAME")
    sql = statements(user, database)
    for statement in sql:
        execute(client, statement)
    moves = ownership_moves(execute(client, OWNED_OBJECTS).get("records", []), user)
    for statement in moves:
        execute(client, statement)
    execute(client, MASTER_KEEPS_PASSWORD_LOGIN)
    return {"user": user, "database": database, "statements": len(sql) + len(moves) + 2, "objects_moved": len(moves)}
