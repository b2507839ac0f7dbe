using Dapper;

namespace AuditTool.Tests.Support;

/// <summary>Makes the database refuse audit log lines of one action, as a crash between two writes would leave them.</summary>
public static class FaultInjection
{
    public static void FailLogLines(TestDatabase db, string action)
    {
        using var connection = db.Factory.Open();
        if (db.Engine == AuditTool.Data.DatabaseEngine.Sqlite)
        {
            connection.Execute($"""
                CREATE TRIGGER injected_failure BEFORE INSERT ON audit_log WHEN NEW.action = '{action}'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
                """);
            return;
        }

        connection.Execute($$"""
            CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.action = '{{action}}' THEN RAISE EXCEPTION 'injected failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER injected_failure BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION injected_failure();
            """);
    }
}
