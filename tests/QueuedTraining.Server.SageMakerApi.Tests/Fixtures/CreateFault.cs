namespace QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

/// <summary>What the fake SageMaker answers a CreateTrainingJob with instead of creating the job.</summary>
public enum CreateFault
{
    /// <summary>400 ThrottlingException "Rate exceeded"; nothing is created.</summary>
    Throttling,

    /// <summary>500 InternalFailure; nothing is created.</summary>
    ServerError,

    /// <summary>400 ResourceLimitExceeded, as when the account's instance quota is used up; nothing is created.</summary>
    ResourceLimitExceeded,

    /// <summary>400 ValidationException; nothing is created.</summary>
    Validation,

    /// <summary>The job is created, then 500 InternalFailure is answered: the answer is lost on the way back.</summary>
    CreatedButAnswerLost,
}
