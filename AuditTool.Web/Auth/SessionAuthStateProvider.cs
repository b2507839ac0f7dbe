using System.Security.Claims;
using AuditTool.Domain.Accounts;
using AuditTool.Web.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace AuditTool.Web.Auth;

/// <summary>
/// The signed-in state of an open page (a Blazor circuit). The page re-checks its session the moment news comes that its
/// account changed (disabled, signed out elsewhere, role or password changed: on this server or another), and every
/// <c>RevalidationSeconds</c> besides; when the session has ended the page becomes signed out, so it stops showing what
/// it showed and goes to the sign-in page. Services re-check on every call regardless.
/// </summary>
public sealed class SessionAuthStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly SessionService _sessions;
    private readonly AccountChangeHub _news;
    private readonly TimeSpan _interval;
    private readonly ILogger<SessionAuthStateProvider> _logger;
    private readonly CancellationTokenSource _stop = new();
    private long? _userId;
    private int _looping;

    /// <summary>Why this page's session ended, once it has (a person signing out here or elsewhere, or an administrator).</summary>
    public string? EndedReason { get; private set; }

    public SessionAuthStateProvider(SessionService sessions, AccountChangeHub news, TimeSpan interval, ILogger<SessionAuthStateProvider> logger)
    {
        _sessions = sessions;
        _news = news;
        _interval = interval;
        _logger = logger;
        AuthenticationStateChanged += OnStateChanged;
        _news.AccountChanged += OnAccountChanged;
    }

    private void OnStateChanged(Task<AuthenticationState> state) => _ = WatchAsync(state);

    private async Task WatchAsync(Task<AuthenticationState> state)
    {
        var user = (await state).User;
        _userId = user.ToActor()?.UserId;
        if (_userId is not null && Interlocked.Exchange(ref _looping, 1) == 0)
        {
            _ = RecheckEveryIntervalAsync();
        }
    }

    private void OnAccountChanged(long userId)
    {
        if (userId == _userId)
        {
            _ = RecheckAsync();
        }
    }

    private async Task RecheckEveryIntervalAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && _userId is not null)
            {
                await Task.Delay(_interval, _stop.Token);
                await RecheckAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _looping, 0);
        }
    }

    private async Task RecheckAsync()
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.ToActor() is not { } actor)
            {
                return;
            }

            var check = await _sessions.CheckAsync(actor.UserId, state.User.FindFirstValue(ClaimsMapping.SessionClaim),
                state.User.FindFirstValue(ClaimsMapping.StampClaim));
            if (!check.IsCurrent)
            {
                _userId = null;
                EndedReason = check.EndedReason;
                SetAuthenticationState(Task.FromResult(Anonymous));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database could not be reached: keep the page (every service call re-checks) and try again later.
            _logger.LogWarning(ex, "An open page could not re-check its session.");
        }
    }

    public void Dispose()
    {
        _news.AccountChanged -= OnAccountChanged;
        AuthenticationStateChanged -= OnStateChanged;
        _stop.Cancel();
        _stop.Dispose();
    }
}
