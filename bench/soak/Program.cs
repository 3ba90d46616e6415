using Scorpio.Bench.Soak;

// Usage: soak fuzz|kill|kill-catalogue|memory [options]; soak fuzz-worker is the child process of `fuzz`.
return args.FirstOrDefault() switch
{
    "fuzz" => FuzzSoak.Run(args[1..]),
    "fuzz-worker" => FuzzSoak.Worker(args[1..]),
    "kill" => KillSoak.Run(args[1..]),
    "kill-catalogue" => CatalogueKillSoak.Run(args[1..]),
    "memory" => MemorySoak.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: soak fuzz [--cases N] [--seed S] [--chunk N] [--out FILE] | kill [--kills N] [--steps N] [--out FILE] | kill-catalogue [--kills N] [--objects N] [--out FILE] | memory [--train-steps N] [--sample-steps N] [--out FILE]");
    return 2;
}
