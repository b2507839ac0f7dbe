namespace AuditTool.Data; public static class Placeholder {}
