using Dapper;
using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(7, "Answers stored against their question's id")]
public sealed class M0007_AnswersByQuestion() : ScriptMigration("0007_answers_by_question")
{
    public override void Up()
    {
        // The rewrite keeps an answer only through its question: first make sure every answer has one, or stop.
        Execute.WithConnection((connection, tx) =>
        {
            var orphans = connection.Query<(long ReturnId, string Key)>("""
                SELECT a.return_id, a.question_key FROM answers a
                JOIN agency_returns r ON r.id = a.return_id
                JOIN audits au ON au.id = r.audit_id
                WHERE NOT EXISTS (SELECT 1 FROM template_questions q
                                  WHERE q.template_version_id = au.template_version_id AND q.key = a.question_key)
                LIMIT 10
                """, transaction: tx).ToList();
            if (orphans.Count > 0)
            {
                throw new MigrationException(
                    "Some answers name a question their audit's template does not have, so they cannot be moved: " +
                    string.Join(", ", orphans.Select(o => $"return {o.ReturnId} question '{o.Key}'")) +
                    ". Nothing was changed. Export those audits with the previous release and report this.");
            }
        });
        base.Up();
    }
}
