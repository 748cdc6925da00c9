namespace UpdateFunctions.Functions.Devices;

/// <summary>The CodePush routes' common prefix, as <c>AcquisitionManager</c> builds it.</summary>
internal static class CodePushRoutes
{
    public const string Prefix = "v0.1/public/codepush/";
}
