using FluentMigrator;

namespace AuditTool.Data.Migrations;

// The first release's schema, as its hand-written runner applied it (the script is unchanged).
[Migration(1, "Agencies and accounts")]
public sealed class M0001_CreateAgenciesAndUsers() : ScriptMigration("0001_create_agencies_and_users");
