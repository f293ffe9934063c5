using BenchmarkDotNet.Running;

// Every benchmark class in this assembly; pick with --filter, e.g. --filter '*Sts*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
