using AuditTool.Data;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Support;

/// <summary>The app's services on a test database, with a clock the test moves.</summary>
public sealed class ClockedServices(TestDatabase db, TestClock clock) : IDisposable
{
    private readonly ServiceProvider _provider = AuditToolServices.For(DatabaseTarget.Parse(db.Location, db.Folder), null,
        s => s.AddSingleton<TimeProvider>(clock));

    public TestClock Clock => clock;

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose() => _provider.Dispose();
}
