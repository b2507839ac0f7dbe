using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(43, "Passkey ceremonies: each challenge the server hands out, taken back once")]
public sealed class M0043_WebAuthnCeremonies() : ScriptMigration("0043_webauthn_ceremonies");
