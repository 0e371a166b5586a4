using Xunit;

// Every synth goes through one jsii node runtime per process. Once, under parallel test classes, that runtime sat idle
// with the test host waiting on it; running the classes one at a time costs little here and removes the interleaving.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
