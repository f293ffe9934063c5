using System.CommandLine;
using Prepay.Cli.Bench;
using Prepay.Cli.Hosting;
using Prepay.Cli.Simulate;
using Prepay.Cli.Sts;
using Prepay.Cli.Tariffs;

var root = new RootCommand("Prepay: prepaid electricity vending, tokens and meters.")
{
    ServerCommands.Serve(),
    ServerCommands.Db(),
    ServerCommands.Demo(),
    TariffCommands.Create(),
    StsCommands.Create(),
    BenchCommands.Create(),
    SimulateCommands.Create(),
    Prepay.Cli.Mqtt.MqttCommands.Create(),
    Prepay.Cli.Dlms.DlmsCommands.Meter(),
    Prepay.Cli.Dlms.DlmsCommands.Dlms(),
};
return await CommandLine.RunAsync(root, args);
