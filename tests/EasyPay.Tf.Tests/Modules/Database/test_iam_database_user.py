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
    def __init__(self, failures=(), owned=()):
        self.calls, self.failures, self.owned = [], list(failures), list(owned)

    def execute_statement(self, **kwargs):
        if self.failures:
            failure = self.failures.pop(0)
            raise ClientError(*failure) if isinstance(failure, tuple) else ClientError(failure)
        self.calls.append(kwargs)
        if kwargs["sql"] == fn.OWNED_OBJECTS:
            return {"records": [[{"stringValue": kind}, {"stringValue": name}] for kind, name in self.owned]}
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
        self.assertEqual(result, {"user": "easypay_app", "database": "easypay", "statements": len(sql), "objects_moved": 0})
        self.assertTrue(all(c["resourceArn"] == ENV["CLUSTER_ARN"] and c["secretArn"] == ENV["MASTER_SECRET_ARN"] and c["database"] == "easypay" for c in api.calls))
        self.assertIn("CREATE ROLE easypay_app LOGIN", sql[0])
        self.assertIn("IF NOT EXISTS", sql[0])  # idempotent: a re-run converges
        self.assertIn("GRANT rds_iam TO easypay_app", sql)  # IAM auth tokens only (RDS User Guide, IAM database authentication for PostgreSQL)
        self.assertIn("ALTER ROLE easypay_app WITH LOGIN PASSWORD NULL", sql)
        self.assertFalse(any("SUPERUSER" in s or "CREATEROLE" in s or "rds_superuser" in s for s in sql))
        # The master user must never inherit rds_iam (a member of a role with rds_iam logs in with IAM tokens only,
        # RDS User Guide): nothing grants the login role to anyone, and the run ends by checking it.
        self.assertFalse(any(s.startswith("GRANT easypay_app TO") for s in sql), sql)
        self.assertIn("GRANT easypay_app_owner TO CURRENT_USER", sql)
        self.assertIn("GRANT easypay_app_owner TO easypay_app", sql)
        self.assertTrue(any("CREATE ROLE easypay_app_owner NOLOGIN" in s for s in sql))
        self.assertEqual(sql[-1], fn.MASTER_KEEPS_PASSWORD_LOGIN)

    def test_the_master_users_objects_move_one_at_a_time_to_the_owner_role(self):
        api = FakeDataApi(owned=[("TABLE", "payments"), ("SEQUENCE", "invoice_no"), ("VIEW", "it's")])
        result = fn.handler({}, None, client=api)
        sql = [c["sql"] for c in api.calls]
        moves = [s for s in sql if "OWNER TO" in s]
        self.assertEqual(len(moves), 3)
        self.assertEqual(result["objects_moved"], 3)
        self.assertIn("EXECUTE 'ALTER TABLE public.' || quote_ident('payments') || ' OWNER TO easypay_app_owner'", moves[0])
        self.assertIn("quote_ident('it''s')", moves[2])  # names are quoted, never spliced
        self.assertTrue(all("lock_timeout" in m for m in moves))
        self.assertLess(sql.index(fn.OWNED_OBJECTS), sql.index(moves[0]))
        self.assertLess(sql.index("GRANT easypay_app_owner TO CURRENT_USER"), sql.index(fn.OWNED_OBJECTS))
        with self.assertRaises(ValueError):
            fn.ownership_moves([[{"stringValue": "FUNCTION"}, {"stringValue": "f"}]], "easypay_app")

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
