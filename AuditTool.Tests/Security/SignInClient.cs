using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace AuditTool.Tests.Security;

/// <summary>
/// A browser's part in signing in, done over plain HTTP: it loads the sign-in page (its antiforgery token and cookie),
/// posts the form as the page would, and keeps the cookies it is given. Optionally it connects from another loopback
/// address (127.0.0.2, ...), as a second network would.
/// </summary>
public sealed partial class SignInClient : IDisposable
{
    public const string AuthCookie = "audittool.auth";

    private readonly HttpClient _http;
    private readonly Uri _base;

    public SignInClient(string baseUrl, string? fromAddress = null)
    {
        _base = new Uri(baseUrl);
        var handler = new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true };
        if (fromAddress is not null)
        {
            handler.ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(fromAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        _http = new HttpClient(handler) { BaseAddress = _base, Timeout = TimeSpan.FromMinutes(2) };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The sign-in cookie this client holds, if any.</summary>
    public Cookie? SessionCookie => Cookies.GetCookies(_base).FirstOrDefault(c => c.Name == AuthCookie);

    /// <summary>Loads the sign-in page: the form's antiforgery token (its cookie is kept).</summary>
    public async Task<string> LoadFormAsync()
    {
        var html = await _http.GetStringAsync("/Account/SignIn");
        return TokenPattern().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("The sign-in page has no antiforgery token.");
    }

    /// <summary>Posts the sign-in form. Signed in: a redirect and the sign-in cookie; refused: the page again, with the message.</summary>
    public async Task<SignInAnswer> PostAsync(string token, string userName, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        using var response = await _http.PostAsync("/Account/SignIn", form);
        var body = await response.Content.ReadAsStringAsync();
        var message = MessagePattern().Match(body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : null;
        return new SignInAnswer(response.StatusCode, response.Headers.Location?.ToString(), SessionCookie is not null, message);
    }

    public async Task<SignInAnswer> SignInAsync(string userName, string password) => await PostAsync(await LoadFormAsync(), userName, password);

    /// <summary>The status of a GET with this client's cookies (no redirects followed).</summary>
    public async Task<HttpStatusCode> StatusOfAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>Another client holding a copy of this one's sign-in cookie, as someone who copied it would.</summary>
    public SignInClient CopyCookieTo(SignInClient other)
    {
        other.Cookies.Add(_base, new Cookie(AuthCookie, SessionCookie?.Value ?? throw new InvalidOperationException("Not signed in.")));
        return other;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("data-testid=\"signin-error\"[^>]*>([^<]*)<")]
    private static partial Regex MessagePattern();
}

public sealed record SignInAnswer(HttpStatusCode Status, string? Location, bool SignedIn, string? Message);
