namespace AuditTool.Domain.Security;

public sealed class AccessDeniedException(string message) : Exception(message);
