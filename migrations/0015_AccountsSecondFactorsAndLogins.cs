using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(15, "Accounts: last sign-in, second factors (authenticator codes, recovery codes, passkeys), identity provider logins; more kinds of notice")]
public sealed class M0015_AccountsSecondFactorsAndLogins() : ScriptMigration("0015_accounts_second_factors_and_logins");
