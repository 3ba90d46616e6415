using Scorpio.Astro;
using Scorpio.Distributed;

namespace Scorpio.Tests.Distributed;

/// <summary>How a process learns its place in a job: torchrun's variables, srun's, or none.</summary>
public class LaunchEnvironmentTests
{
    private static LaunchEnvironment? Read(params (string Key, string Value)[] vars)
    {
        var env = vars.ToDictionary(v => v.Key, v => v.Value);
        return LaunchEnvironment.FromEnvironment(k => env.TryGetValue(k, out var v) ? v : null);
    }

    [Fact]
    public void TorchrunVariablesAreRead()
    {
        var e = Read(("RANK", "3"), ("WORLD_SIZE", "8"), ("LOCAL_RANK", "1"), ("LOCAL_WORLD_SIZE", "2"), ("MASTER_ADDR", "node17"), ("MASTER_PORT", "29500"));
        Assert.Equal(new LaunchEnvironment(3, 8, 1, 2, "node17", 29500), e);
        Assert.False(e!.IsLoopback);
    }

    [Fact]
    public void NoJobOrAJobOfOneIsASingleProcess()
    {
        Assert.Null(Read());
        Assert.Null(Read(("WORLD_SIZE", "1"), ("RANK", "0")));
        // Inside an sbatch allocation but outside a job step (no srun): not a job, whatever SLURM_NTASKS says.
        Assert.Null(Read(("SLURM_NTASKS", "4"), ("SLURM_PROCID", "0")));
    }

    [Fact]
    public void SrunTasksAreRanksWhenRankIsNotSet()
    {
        var e = Read(("SLURM_STEP_ID", "0"), ("SLURM_STEP_NUM_TASKS", "16"), ("SLURM_PROCID", "9"), ("SLURM_LOCALID", "1"),
            ("SLURM_STEP_TASKS_PER_NODE", "4(x4)"), ("MASTER_ADDR", "node01"), ("MASTER_PORT", "29500"));
        Assert.Equal(new LaunchEnvironment(9, 16, 1, 4, "node01", 29500), e);
    }

    [Theory]
    [InlineData("MASTER_ADDR")]
    [InlineData("MASTER_PORT")]
    [InlineData("RANK")]
    public void AMissingVariableIsNamed(string missing)
    {
        var vars = new[] { ("RANK", "1"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", "29500") }.Where(v => v.Item1 != missing).ToArray();
        var e = Assert.Throws<UserInputException>(() => Read(vars));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void ARankOutsideTheWorldIsRefused() =>
        Assert.Contains("RANK=2", Assert.Throws<UserInputException>(() => Read(("RANK", "2"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "a"), ("MASTER_PORT", "1"))).Message);
}
