"""Unit tests of modules/EasyPay.Tf.Modules/Database/Functions/iam_database_user.py, with a fake Data API client
(boto3 is stubbed: the handler must need nothing but the client it is given)."""

import os
import sys
import types
import unittest

sys.modules.setdefault("boto3", types.SimpleNamespace(client=lambda name: None))
import iam_database_user as fn  # noqa: E402


class ClientError(Exception):
    def __init__(self, code, message=""):
        super().__init__(code)
        self.response = {"Error": {"Code": code, "Message": message}}


class FakeDataApi:
    def __init__(self, failures=()):
        self.calls, self.failures = [], list(failures)

    def execute_statement(self, **kwargs):
        if self.failures:
            failure = self.failures.pop(0)
            raise ClientError(*failure) if isinstance(failure, tuple) else ClientError(failure)
        self.calls.append(kwargs)
        return {"numberOfRecordsUpdated": 0}


ENV = {"CLUSTER_ARN": "arn:aws:rds:eu-west-1:111122223333:cluster:easypay-dev", "MASTER_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-x",
       "DATABASE_NAME": "easypay", "USER_NAME": "easypay_app"}


class HandlerTests(unittest.TestCase):
    def setUp(self):
        self._env = dict(os.environ)
        os.environ.update(ENV)

    def tearDown(self):
        os.environ.clear()
        os.environ.update(self._env)

    def test_creates_an_iam_only_role_with_the_applications_grants_as_the_master_user(self):
        api = FakeDataApi()
        result = fn.handler({"action": "create-iam-database-user"}, None, client=api)
        sql = [c["sql"] for c in api.calls]
        self.assertEqual(result, {"user": "easypay_app", "database": "easypay", "statements": len(sql)})
        self.assertTrue(all(c["resourceArn"] == ENV["CLUSTER_ARN"] and c["secretArn"] == ENV["MASTER_SECRET_ARN"] and c["database"] == "easypay" for c in api.calls))
        self.assertIn("CREATE ROLE easypay_app LOGIN", sql[0])
        self.assertIn("IF NOT EXISTS", sql[0])  # idempotent: a re-run converges
        self.assertIn("GRANT rds_iam TO easypay_app", sql)  # IAM auth tokens only (RDS User Guide, IAM database authentication for PostgreSQL)
        self.assertIn("ALTER ROLE easypay_app WITH LOGIN PASSWORD NULL", sql)
        self.assertFalse(any("SUPERUSER" in s or "CREATEROLE" in s or "rds_superuser" in s for s in sql))
        # Upgrade from the master-user design: the master's tables, views and sequences in public move to the app role,
        # which needs the master to be a member of it first (PostgreSQL 16 ALTER TABLE ... OWNER TO).
        grant = sql.index("GRANT easypay_app TO CURRENT_USER")
        transfer = next(i for i, s in enumerate(sql) if "OWNER TO easypay_app" in s)
        self.assertLess(grant, transfer)
        self.assertIn("ALTER %s public.%I OWNER TO easypay_app", sql[transfer])
        self.assertIn("lock_timeout", sql[transfer])
        self.assertNotIn("%%", sql[transfer])

    def test_a_starting_writer_is_retried_and_other_errors_are_not(self):
        api = FakeDataApi(failures=["DatabaseUnavailableException", "DatabaseUnavailableException"])
        fn.execute(api, "SELECT 1", sleep=lambda s: None)
        self.assertEqual(len(api.calls), 1)
        api = FakeDataApi(failures=[("BadRequestException", "HttpEndpoint is not enabled for cluster easypay-dev")])
        fn.execute(api, "SELECT 1", sleep=lambda s: None)
        self.assertEqual(len(api.calls), 1)
        with self.assertRaises(ClientError):
            fn.execute(FakeDataApi(failures=[("BadRequestException", "ERROR: syntax error at or near")]), "SELECT 1", sleep=lambda s: None)
        with self.assertRaises(ClientError):
            fn.execute(FakeDataApi(failures=["AccessDeniedException"]), "SELECT 1", sleep=lambda s: None)
        with self.assertRaises(ClientError):
            fn.execute(FakeDataApi(failures=["DatabaseUnavailableException"] * 6), "SELECT 1", attempts=6, sleep=lambda s: None)

    def test_names_that_are_not_identifiers_are_refused_before_any_sql(self):
        for user in ["easypay_app; DROP TABLE payments", "Easypay", "", "1app"]:
            os.environ["USER_NAME"] = user
            api = FakeDataApi()
            with self.assertRaises(ValueError):
                fn.handler({}, None, client=api)
            self.assertEqual(api.calls, [])


if __name__ == "__main__":
    unittest.main()
