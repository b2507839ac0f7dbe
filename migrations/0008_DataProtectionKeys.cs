using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(8, "Data protection key ring")]
public sealed class M0008_DataProtectionKeys() : ScriptMigration("0008_data_protection_keys");
