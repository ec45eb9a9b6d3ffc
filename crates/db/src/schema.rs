//! Table and column names for `sea-query`; the tables themselves are in `migrations/`.

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    FirstName,
    LastName,
    Email,
    IsActive,
    IsStaff,
    IsSuperuser,
    LastLogin,
    DateJoined,
}

#[derive(Iden, Clone, Copy)]
pub enum ApiTokens {
    Table,
    Id,
    UserId,
    KeyDigest,
    KeyPrefix,
    CreatedAt,
    LastUsedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Sessions {
    Table,
    KeyDigest,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Municipalities {
    Table,
    DataSource,
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum MunicipalityModerators {
    Table,
    MunicipalityId,
    UserId,
}

#[derive(Iden, Clone, Copy)]
pub enum Locations {
    Table,
    Id,
    Name,
    Address,
    ZipCode,
    City,
    Lat,
    Lon,
    UnitX,
    UnitY,
    UnitZ,
    MunicipalityId,
    CreatedById,
    DataSource,
    OriginId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Organizers {
    Table,
    Id,
    Name,
    MunicipalityId,
    CreatedById,
    DataSource,
    OriginId,
    CreatedAt,
    UpdatedAt,
}

/// Shared by `hobby_categories` and `hobby_audiences` (see [`TreeTable`]).
#[derive(Iden, Clone, Copy)]
pub enum TreeColumns {
    Id,
    Name,
    NameFi,
    NameEn,
    NameSv,
    ParentId,
    TreeId,
    Level,
    TreePosition,
    SubtreeEnd,
    CoverImage,
    EffectiveCoverImage,
    EffectiveCoverPosition,
    SearchText,
    DataSource,
    OriginId,
    CreatedAt,
    UpdatedAt,
}

/// The two trees: hobby categories and hobby audiences.
#[derive(Iden, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeTable {
    #[iden = "hobby_categories"]
    Categories,
    #[iden = "hobby_audiences"]
    Audiences,
}

#[derive(Iden, Clone, Copy)]
pub enum Hobbies {
    Table,
    Id,
    Name,
    Description,
    LocationId,
    OrganizerId,
    MunicipalityId,
    CoverImage,
    CoverImageModifiedAt,
    CreatedById,
    PriceType,
    PriceCents,
    SearchText,
    DataSource,
    OriginId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum HobbyCategoryLinks {
    Table,
    HobbyId,
    CategoryId,
}

#[derive(Iden, Clone, Copy)]
pub enum HobbyEvents {
    Table,
    Id,
    HobbyId,
    StartDate,
    StartTime,
    EndDate,
    EndTime,
    StartWeekday,
    RecurrenceStartEventId,
    DataSource,
    OriginId,
    CreatedAt,
    UpdatedAt,
}

/// Each hobby's next event with the columns the event list filters and orders by.
#[derive(Iden, Clone, Copy)]
pub enum HobbyNextEvents {
    Table,
    HobbyId,
    EventId,
    StartDate,
    StartTime,
    EndDate,
    EndTime,
    StartWeekday,
    DataSource,
    PriceType,
    Lat,
    Lon,
    UnitX,
    UnitY,
    UnitZ,
}

#[derive(Iden, Clone, Copy)]
pub enum Promotions {
    Table,
    DataSource,
    Id,
    Name,
    Description,
    StartDate,
    StartTime,
    EndDate,
    EndTime,
    CoverImage,
    MunicipalityId,
    OrganizerId,
    LocationId,
    AvailableCount,
    UsedCount,
    CreatedById,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Benefits {
    Table,
    Id,
    PromotionId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum CacheVersions {
    Table,
    Name,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub enum LoginFailures {
    Table,
    Username,
    Client,
    WindowStart,
    Failures,
}

/// Every committed write to public data adds one to one of these rows (0004_changes.sql).
#[derive(Iden, Clone, Copy)]
pub enum DataVersion {
    Table,
    Shard,
    Version,
}

/// The latest change of each object of the change feed; a deleted object's row is its
/// tombstone.
#[derive(Iden, Clone, Copy)]
pub enum Changes {
    Table,
    Kind,
    ObjectId,
    ChangeNo,
    Deleted,
    ChangedAt,
}
