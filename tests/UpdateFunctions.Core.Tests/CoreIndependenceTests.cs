using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Tests;

public sealed class CoreIndependenceTests
{
    [Fact]
    public void Core_references_no_Azure_assembly()
    {
        var references = typeof(AppSnapshot).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

        var azure = references.Where(name => name.StartsWith("Azure.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Azure.", StringComparison.Ordinal)).ToList();

        Assert.Empty(azure);
        Assert.Contains("Semver", references); // the check reads real references, not an empty list
    }
}
