using System.Xml.Linq;
using AuditTool.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace AuditTool.Web.Auth;

/// <summary>
/// Keeps ASP.NET Core's data protection key ring in the database (table data_protection_keys), so that a cookie or an
/// antiforgery token issued by one server is accepted by every other server on the same database. A SQLite database
/// made by the first release kept its keys in a <c>keys</c> folder beside the file: those are copied in once, so
/// nobody is signed out by the upgrade.
/// </summary>
public sealed class KeyRingInDatabase(KeyRingRepository keys, ConnectionFactory factory, TimeProvider clock)
    : IConfigureOptions<KeyManagementOptions>, IXmlRepository
{
    private readonly Lazy<bool> _imported = new(() =>
    {
        ImportFolder(keys, factory, clock);
        return true;
    });

    public void Configure(KeyManagementOptions options) => options.XmlRepository = this;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _imported.Value;
        return keys.GetAll().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName) =>
        keys.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting), clock.GetUtcNow());

    private static void ImportFolder(KeyRingRepository keys, ConnectionFactory factory, TimeProvider clock)
    {
        if (factory.DatabasePath is not { } file || Path.Combine(Path.GetDirectoryName(file)!, "keys") is not { } folder ||
            !Directory.Exists(folder) || keys.GetAll().Count > 0)
        {
            return;
        }

        foreach (var path in Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            keys.Add(Path.GetFileNameWithoutExtension(path), XElement.Load(path).ToString(SaveOptions.DisableFormatting), clock.GetUtcNow());
        }
    }
}
