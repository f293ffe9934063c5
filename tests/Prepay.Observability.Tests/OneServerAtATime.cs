// The OpenTelemetry SDK subscribes to meters by name, process-wide: a node's MeterProvider also sees the meters of
// every other server alive in the same process (its own vends, request durations and gauges then compete with theirs,
// and only the first instrument of a name is exported). One server per process is how Prepay runs; here the test
// classes run one after another, each with its own server, so that only one is alive while metrics are read.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
