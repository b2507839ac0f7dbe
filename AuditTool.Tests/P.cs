namespace AuditTool.Tests; public class P { [Fact] public void T() {} }
