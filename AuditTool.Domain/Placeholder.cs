namespace AuditTool.Domain; public static class Placeholder {}
