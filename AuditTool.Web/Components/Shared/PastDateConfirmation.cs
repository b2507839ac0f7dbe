using AuditTool.Domain.Security;
using Radzen;

namespace AuditTool.Web.Components.Shared;

/// <summary>
/// A service call that a date in the past refuses until confirmed: made once without the confirmation; if the service
/// asks (<see cref="DomainValidationException.ConfirmationQuestion"/>), the question is shown and the call made again
/// with the confirmation when the scrutineer says yes. The service decides what counts as the past, not the page.
/// </summary>
public static class PastDateConfirmation
{
    /// <returns>True when the call went through; false when the scrutineer chose to change the date.</returns>
    public static async Task<bool> ConfirmPastDateAsync(this DialogService dialogs, Func<bool, Task> call)
    {
        string question;
        try
        {
            await call(false);
            return true;
        }
        catch (DomainValidationException ex) when (ex.ConfirmationQuestion is { } asked)
        {
            question = asked;
        }

        if (await dialogs.Confirm(question, "Date in the past", new ConfirmOptions { OkButtonText = "Use it anyway", CancelButtonText = "Change the date" }) != true)
        {
            return false;
        }

        await call(true);
        return true;
    }
}
