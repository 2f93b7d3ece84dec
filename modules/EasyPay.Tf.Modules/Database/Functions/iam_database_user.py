"""Creates the application's PostgreSQL role for IAM authentication, through the RDS Data API.

Terraform invokes this function (aws_lambda_invocation) when the role's definition changes. It runs the
statements below as the master user through the Data API, which reads the master secret itself: no network
path to the database, no password in this function, in Terraform state or in any pod. Every statement is
idempotent, so a re-run (or a run against a database restored from a snapshot) converges to the same grants.

The role may log in only with IAM auth tokens (rds_iam) and has no password. It owns the public schema's tables,
views and sequences: the ones it creates (the application's migrations) and, after an upgrade from the design in
which the application connected as the master user, the ones the master user created (their ownership moves to it,
or the next migration that alters one would fail: PostgreSQL lets only the owner ALTER, DROP or index a table).
"""

import os
import re
import time

import boto3

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

# Data API errors worth retrying: a writer that is still starting or failing over.
RETRYABLE = ("DatabaseUnavailableException", "DatabaseResumingException", "ServiceUnavailableError", "StatementTimeoutException")


def statements(user, database):
    """The SQL that makes `user` an IAM-only login role of `database`, in order."""
    for name, value in (("USER_NAME", user), ("DATABASE_NAME", database)):
        if not IDENTIFIER.match(value or ""):
            raise ValueError(f"{name} '{value}' is not a PostgreSQL identifier (lower-case letters, digits, underscores)")
    return [
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '%s') "
        "THEN CREATE ROLE %s LOGIN; END IF; END $$" % (user, user),
        # No password at all: with rds_iam granted PostgreSQL accepts only IAM auth tokens for this role.
        "ALTER ROLE %s WITH LOGIN PASSWORD NULL" % user,
        "GRANT rds_iam TO %s" % user,
        "GRANT CONNECT, TEMPORARY ON DATABASE %s TO %s" % (database, user),
        "GRANT USAGE, CREATE ON SCHEMA public TO %s" % user,
        # PostgreSQL 16 lets a role hand an object to another only if it may SET ROLE to it (ALTER TABLE, OWNER TO).
        "GRANT %s TO CURRENT_USER" % user,
        # What the master user owns in public moves to the application role (sequences owned by a column or an
        # identity move with their table; extension members stay the extension's). A 5 s lock timeout per table: a busy table fails the run, which is retried
        # on the next apply, rather than queueing every query behind an ACCESS EXCLUSIVE lock.
        "DO $$ DECLARE r record; BEGIN PERFORM set_config('lock_timeout', '5s', true); "
        "FOR r IN SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user) "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
        "AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) "
        "AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x WHERE x.objid = c.oid AND x.deptype = 'e') "
        "LOOP EXECUTE format('ALTER %%s public.%%I OWNER TO %s', "
        "CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname); "
        "END LOOP; END $$" % user,
        # Anything an operator later creates as the master user stays usable by the application.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %s" % user,
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %s" % user,
    ]


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
    return {"user": user, "database": database, "statements": len(sql)}
