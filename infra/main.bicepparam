// Values for main.bicep. azd sets AZURE_ENV_NAME; with az CLI, export it or keep the default name below.
// Deploy with: az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'updatefunctions')

// Function App: 2 GB instances, at most 100 of them, scale to zero when idle (no always-ready instance).
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param httpAlwaysReadyInstanceCount = 0

// Telemetry: 4 partitions bound the aggregator to 4 parallel instances; a day of retention to catch up.
param eventHubPartitionCount = 4
param eventHubRetentionInHours = 24

// Front Door reads the private bundles container with its managed identity; devices call the Function App host.
param bundleAccess = 'FrontDoorIdentity'
param routeApiThroughFrontDoor = false

// Bundle URLs through Front Door; true hands devices 15-minute read SAS URLs of the private container instead.
param signedBundleUrls = false
param signedBundleUrlLifetime = '00:15:00'

// Browser origins of the release console allowed to upload bundles straight to blob storage (docs/deploy.md).
param consoleOrigins = []

param storageSkuName = 'Standard_LRS'
param logRetentionInDays = 30
param logDailyQuotaGb = -1

param rolloutAdvanceSchedule = '0 */5 * * * *'

// Retention: hourly metrics 30 days then daily rows 13 months; the audit log is kept (0 = for ever).
param retentionSchedule = '0 30 3 * * *'
param uploadCleanupSchedule = '0 */10 * * * *'
param metricsHourlyRetentionDays = 30
param metricsDailyRetentionMonths = 13
param auditRetentionDays = 0
param snapshotRefreshInterval = '00:00:10'

// Optional: the management API's bootstrap key, from the environment only (never commit it).
param managementBootstrapKey = readEnvironmentVariable('MANAGEMENT_BOOTSTRAP_KEY', '')
