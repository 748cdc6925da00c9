using UpdateFunctions.DeviceSimulator.CommandLine;

namespace UpdateFunctions.DeviceSimulator;

/// <summary>Entry point of <c>simulate-devices</c> (run through <c>tools/simulate-devices.sh</c>).</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => SimulatorCommand.RunAsync(args, Console.Out, Console.Error);
}
