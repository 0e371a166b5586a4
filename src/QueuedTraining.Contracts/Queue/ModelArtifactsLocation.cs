namespace QueuedTraining.Contracts.Queue;

/// <summary>Where SageMaker writes a training job's model, from its output path and the name it ran under.</summary>
public static class ModelArtifactsLocation
{
    /// <summary>
    /// <c>&lt;S3OutputPath&gt;/&lt;trainingJobName&gt;/output/model.tar.gz</c>; null when either is missing.
    /// </summary>
    /// <param name="s3OutputPath">The request's <c>OutputDataConfig.S3OutputPath</c>.</param>
    /// <param name="trainingJobName">The SageMaker name the attempt ran under.</param>
    /// <returns>The S3 URI of the model archive, or null.</returns>
    public static string? For(string? s3OutputPath, string? trainingJobName) =>
        string.IsNullOrEmpty(s3OutputPath) || string.IsNullOrEmpty(trainingJobName)
            ? null
            : $"{s3OutputPath.TrimEnd('/')}/{trainingJobName}/output/model.tar.gz";
}
