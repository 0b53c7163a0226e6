// Property names of the XMP schemas, generated from ExifTool 12.57's XMP tag
// tables (names only: top-level properties and struct fields) and the XMP
// specification's structure types. Add names by hand as schemas grow.

package xmp

// knownNames lists, per canonical prefix, the property local names the
// report may print (space separated). A property whose local name is not
// listed is reported as "unknown <prefix> property": names read from a file
// never reach the report.
var knownNames = map[string]string{
	"aas": "AffineA AffineB AffineC AffineD AffineX AffineY CropH CropW CropX CropY Curve0x Curve0y Curve1x " +
		"Curve1y Curve2x Curve2y Curve3x Curve3y Curve4x Curve4y FaceBalanceOrigI FaceBalanceOrigQ " +
		"FaceBalanceStrength FaceBalanceWarmth Highlights Shadows Vibrance",
	"acdsee": "EditStatus FixtureIdentifier ObjectCycle OriginatingProgram ReleaseDate ReleaseTime Snapshots " +
		"author caption categories collections datetime dpp keywords notes rating rawrppused rpp tagged",
	"album":                  "Notes",
	"apple-fi":               "AngleInfoRoll AngleInfoYaw ConfidenceLevel FaceID Timestamp",
	"ApplePixelDataInfo":     "AuxiliaryImageType",
	"AppleSegmentationMatte": "SemanticSegmentationMatteVersion",
	"AppleSpatialMedia":      "LuxClippingPoint-left LuxClippingPoint-right version",
	"ARTstorCore": "ARTstorClassification ARTstorCountry ARTstorEarliestDate ARTstorLatestDate CreationDiscoverySite " +
		"Creator Culture DateField Description ImageDateField ImageSource ImageViewDescription " +
		"Inscriptions MaterialsTechniques Measurements Photographer RecordSource Rights StylePeriod " +
		"Subject Title WorkType",
	"ast": "GPSAltitude GPSAltitudeRef GPSImgDirection GPSImgDirectionRef GPSLatitude GPSLatitudeRef " +
		"GPSLongitude GPSLongitudeRef GPSMapDatum GPSVersionID about version",
	"aux": "ApproximateFocusDistance DistortionCorrectionAlreadyApplied EnhanceDetailsAlreadyApplied " +
		"EnhanceDetailsVersion EnhanceSuperResolutionAlreadyApplied EnhanceSuperResolutionScale " +
		"EnhanceSuperResolutionVersion Firmware FlashCompensation ImageNumber IsMergedHDR " +
		"IsMergedPanorama LateralChromaticAberrationCorrectionAlreadyApplied Lens LensDistortInfo LensID " +
		"LensInfo LensSerialNumber NeutralDensityFactor OwnerName SerialNumber " +
		"VignetteCorrectionAlreadyApplied",
	"camtrap": "CameraStation Gender GroupSize Species",
	"cc": "attributionName attributionURL deprecatedOn jurisdiction legalcode license morePermissions " +
		"permits prohibits requires useGuidelines",
	"cell":      "cellid cgi lac mcc mnc r",
	"Container": "Directory Item",
	"creatorAtom": "ApplicationCode CompositionID Extension FullPath InvocationAppleEvent InvocationFlags " +
		"PosixProjectPath RenderOutputModuleIndex RenderQueueItemID RenderTimeStamp UncProjectPath " +
		"aeProjectLink applicationCode compositionID extension fullPath invocationAppleEvent " +
		"invocationFlags macAtom posixProjectPath renderOutputModuleIndex renderQueueItemID " +
		"renderTimeStamp uncProjectPath windowsAtom",
	"crs": "Alpha AlreadyApplied Amount Angle AreaComponents AreaModels AutoBrightness AutoContrast " +
		"AutoExposure AutoLateralCA AutoShadows AutoTone AutoToneDigest AutoToneDigestNoSat " +
		"AutoWhiteVersion Blacks2012 BlueHue BlueSaturation Bottom Brightness CameraModelRestriction " +
		"CameraProfile CameraProfileDigest CenterValue CenterWeight ChromaticAberrationB " +
		"ChromaticAberrationR CircularGradientBasedCorrections Clarity Clarity2012 ClipboardAspectRatio " +
		"ClipboardOrientation Cluster ColorAmount ColorGradeBlending ColorGradeGlobalHue " +
		"ColorGradeGlobalLum ColorGradeGlobalSat ColorGradeHighlightLum ColorGradeMidtoneHue " +
		"ColorGradeMidtoneLum ColorGradeMidtoneSat ColorGradeShadowLum ColorNoiseReduction " +
		"ColorNoiseReductionDetail ColorNoiseReductionSmoothness ColorRangeMaskAreaSampleInfo " +
		"CompatibleVersion ContactInfo Contrast Contrast2012 ConvertToGrayscale Converter Copyright " +
		"CorrectionActive CorrectionAmount CorrectionMasks CorrectionName CorrectionRangeMask " +
		"CorrectionSyncID CropAngle CropBottom CropConstrainToWarp CropHeight CropLeft CropRight CropTop " +
		"CropUnit CropUnits CropWidth DNGIgnoreSidecars Dabs DefaultAutoGray DefaultAutoTone " +
		"DefaultsSpecificToISO DefaultsSpecificToSerial Defringe DefringeGreenAmount DefringeGreenHueHi " +
		"DefringeGreenHueLo DefringePurpleAmount DefringePurpleHueHi DefringePurpleHueLo Dehaze " +
		"DepthFeather DepthMax DepthMin Description Exposure Exposure2012 Feather FillLight Flipped Flow " +
		"FullX FullY GradientBasedCorrections GrainAmount GrainFrequency GrainSeed GrainSize " +
		"GrayMixerAqua GrayMixerBlue GrayMixerGreen GrayMixerMagenta GrayMixerOrange GrayMixerPurple " +
		"GrayMixerRed GrayMixerYellow GreenHue GreenSaturation Group HDREditMode HasCrop HasSettings " +
		"HealVersion Highlight2012 HighlightRecovery Highlights2012 HueAdjustmentAqua HueAdjustmentBlue " +
		"HueAdjustmentGreen HueAdjustmentMagenta HueAdjustmentOrange HueAdjustmentPurple HueAdjustmentRed " +
		"HueAdjustmentYellow IncrementalTemperature IncrementalTint InputDigest Invert JPEGHandling " +
		"LabMax LabMin Left LensManualDistortionAmount LensProfileChromaticAberrationScale " +
		"LensProfileDigest LensProfileDistortionScale LensProfileEnable LensProfileFilename " +
		"LensProfileIsEmbedded LensProfileMatchKeyCameraModelName LensProfileMatchKeyExifMake " +
		"LensProfileMatchKeyExifModel LensProfileMatchKeyIsRaw LensProfileMatchKeyLensID " +
		"LensProfileMatchKeyLensInfo LensProfileMatchKeyLensName LensProfileMatchKeySensorFormatFactor " +
		"LensProfileName LensProfileSetup LensProfileVignettingScale LocalBlacks2012 LocalBrightness " +
		"LocalClarity LocalClarity2012 LocalContrast LocalContrast2012 LocalDefringe LocalDehaze " +
		"LocalExposure LocalExposure2012 LocalHighlights2012 LocalHue LocalLuminanceNoise LocalMoire " +
		"LocalSaturation LocalShadows2012 LocalSharpness LocalTemperature LocalTexture LocalTint " +
		"LocalToningHue LocalToningSaturation LocalWhites2012 Look LookTable LumEq LumFeather LumMax " +
		"LumMin LumRange LuminanceAdjustmentAqua LuminanceAdjustmentBlue LuminanceAdjustmentGreen " +
		"LuminanceAdjustmentMagenta LuminanceAdjustmentOrange LuminanceAdjustmentPurple " +
		"LuminanceAdjustmentRed LuminanceAdjustmentYellow LuminanceDepthSampleInfo " +
		"LuminanceNoiseReductionContrast LuminanceNoiseReductionDetail LuminanceSmoothing MaskActive " +
		"MaskBlendMode MaskDigest MaskGroupBasedCorrections MaskInverted MaskName MaskSubType MaskSyncID " +
		"MaskValue MaskVersion Masks Method Midpoint MoireFilter Name NegativeCacheLargePreviewSize " +
		"NegativeCacheMaximumSize NegativeCachePath OffsetY Opacity Origin OverrideLookVignette " +
		"PaintBasedCorrections Parameters ParametricDarks ParametricHighlightSplit ParametricHighlights " +
		"ParametricLights ParametricMidtoneSplit ParametricShadowSplit ParametricShadows PerimeterValue " +
		"PerspectiveAspect PerspectiveHorizontal PerspectiveRotate PerspectiveScale PerspectiveUpright " +
		"PerspectiveVertical PerspectiveX PerspectiveY PostCropVignetteAmount PostCropVignetteFeather " +
		"PostCropVignetteHighlightContrast PostCropVignetteMidpoint PostCropVignetteRoundness " +
		"PostCropVignetteStyle PresetType ProcessVersion RGBMax RGBMin Radius RangeMaskMapInfo " +
		"RawFileName RedEyeInfo RedHue RedSaturation ReferencePoint RetouchAreas RetouchInfo Right " +
		"Roundness SDRBlend SDRBrightness SDRContrast SDRHighlights SDRShadows SDRWhites SampleType " +
		"Saturation SaturationAdjustmentAqua SaturationAdjustmentBlue SaturationAdjustmentGreen " +
		"SaturationAdjustmentMagenta SaturationAdjustmentOrange SaturationAdjustmentPurple " +
		"SaturationAdjustmentRed SaturationAdjustmentYellow Seed ShadowTint Shadows Shadows2012 " +
		"SharpenDetail SharpenEdgeMasking SharpenRadius Sharpness ShortName SizeX SizeY Smoothness " +
		"SortName SourceState SourceX SplitToningBalance SplitToningHighlightHue " +
		"SplitToningHighlightSaturation SplitToningShadowHue SplitToningShadowSaturation SpotType " +
		"SupportsAmount SupportsColor SupportsHighDynamicRange SupportsMonochrome " +
		"SupportsNormalDynamicRange SupportsOutputReferred SupportsSceneReferred TIFFHandling Temperature " +
		"Texture Tint ToggleStyleAmount ToggleStyleDigest ToneCurve ToneCurveBlue ToneCurveGreen " +
		"ToneCurveName ToneCurveName2012 ToneCurvePV2012 ToneCurvePV2012Blue ToneCurvePV2012Green " +
		"ToneCurvePV2012Red ToneCurveRed ToneMapStrength Top Type UUID UprightCenterMode " +
		"UprightCenterNormX UprightCenterNormY UprightDependentDigest UprightFocalLength35mm " +
		"UprightFocalMode UprightFourSegmentsCount UprightFourSegments_0 UprightFourSegments_1 " +
		"UprightFourSegments_2 UprightFourSegments_3 UprightGuidedDependentDigest UprightPreview " +
		"UprightTransformCount UprightTransform_0 UprightTransform_1 UprightTransform_2 " +
		"UprightTransform_3 UprightTransform_4 UprightTransform_5 UprightVersion Version Vibrance " +
		"VignetteAmount VignetteMidpoint What WhiteBalance Whites2012 WholeImageArea X Y ZeroX ZeroY " +
		"alpha amount angle areaComponents areaModels bottom cameraProfile centerValue centerWeight " +
		"clarity2012 cluster colorAmount colorRangeMaskAreaSampleInfo convertToGrayscale copyright " +
		"correctionActive correctionAmount correctionMasks correctionName correctionRangeMask " +
		"correctionSyncID dabs depthFeather depthMax depthMin feather flipped flow fullX fullY group " +
		"inputDigest invert labMax labMin left localBlacks2012 localBrightness localClarity " +
		"localClarity2012 localContrast localContrast2012 localDefringe localDehaze localExposure " +
		"localExposure2012 localHighlights2012 localHue localLuminanceNoise localMoire localSaturation " +
		"localShadows2012 localSharpness localTemperature localTexture localTint localToningHue " +
		"localToningSaturation localWhites2012 lookTable lumEq lumFeather lumMax lumMin lumRange " +
		"luminanceDepthSampleInfo maskActive maskBlendMode maskDigest maskInverted maskName maskSubType " +
		"maskSyncID maskValue maskVersion masks method midpoint name offsetY opacity origin parameters " +
		"perimeterValue processVersion rGBMax rGBMin radius rangeMaskMapInfo referencePoint right " +
		"roundness sampleType seed sizeX sizeY sourceState sourceX spotType supportsAmount " +
		"supportsMonochrome supportsOutputReferred toneCurvePV2012 toneCurvePV2012Blue " +
		"toneCurvePV2012Green toneCurvePV2012Red top type uUID version what wholeImageArea x y zeroX " +
		"zeroY",
	"darktable": "auto_presets_applied blendop_params blendop_version colorlabels enabled history " +
		"history_auto_hash history_basic_hash history_current_hash history_end iop_order_list " +
		"iop_order_version mask_id mask_name mask_nb mask_points mask_src mask_type mask_version " +
		"masks_history modversion multi_name multi_priority num operation params raw_params xmp_version",
	"dc": "contributor coverage creator date description format identifier language publisher relation " +
		"rights source subject title type",
	"dcterms": "abstract accessRights accrualMethod accrualPeriodicity accrualPolicy alternative audience " +
		"available bibliographicCitation conformsTo contributor coverage created creator date " +
		"dateAccepted dateCopyrighted dateSubmitted description educationLevel extent format hasFormat " +
		"hasPart hasVersion identifier instructionalMethod isFormatOf isPartOf isReferencedBy " +
		"isReplacedBy isRequiredBy isVersionOf issued language license mediator medium modified " +
		"provenance publisher references relation replaces requires rights rightsHolder source spatial " +
		"subject tableOfContents temporal title type valid",
	"Device": "Altitude AppInfo Application Boundary BoundaryVertexCount Camera CameraIndices Cameras " +
		"ColorCorrectionB ColorCorrectionG ColorCorrectionR ConfidenceURI Container DataURI DepthMap " +
		"DepthURI Directory Distortion DistortionCount EarthPos ExtentX ExtentZ Far FocalLengthX " +
		"FocalLengthY FocalTable FocalTableEntryCount Format Image ImageHeight ImageWidth ImagingModel " +
		"Item ItemSemantic ItemURI Latitude Length LightEstimate Longitude Manufacturer MeasureType " +
		"Metric Mime Model Near Notes Padding PixelAspectRatio PixelIntensity Plane Planes PointCloud " +
		"Points Pose PositionX PositionY PositionZ PrincipalPointX PrincipalPointY Profile Profiles " +
		"RotationW RotationX RotationY RotationZ Skew Software Timestamp Trait Type Units VendorInfo " +
		"Version altitude appInfo application boundary boundaryVertexCount camera cameraIndices " +
		"colorCorrectionB colorCorrectionG colorCorrectionR confidenceURI dataURI depthMap depthURI " +
		"directory distortion distortionCount extentX extentZ far focalLengthX focalLengthY focalTable " +
		"focalTableEntryCount format image imageHeight imageWidth imagingModel item itemSemantic itemURI " +
		"latitude length lightEstimate longitude manufacturer measureType metric mime model near notes " +
		"padding pixelAspectRatio pixelIntensity plane pointCloud points pose positionX positionY " +
		"positionZ principalPointX principalPointY profile rotationW rotationX rotationY rotationZ skew " +
		"software timestamp trait type units vendorInfo version",
	"dex": "crc32 ffid licensetype os rating revision shortdescription source",
	"DICOM": "EquipmentInstitution EquipmentManufacturer PatientDOB PatientID PatientName PatientSex " +
		"SeriesDateTime SeriesDescription SeriesModality SeriesNumber StudyDateTime StudyDescription " +
		"StudyID StudyPhysician",
	"digiKam": "CaptionsAuthorNames CaptionsDateTimeStamps ColorLabel ImageHistory ImageUniqueID " +
		"LensCorrectionSettings PickLabel TagsList picasawebGPhotoId",
	"drone-dji": "AbsoluteAltitude CalibratedFocalLength CalibratedOpticalCenterX CalibratedOpticalCenterY " +
		"CamReverse DewarpData DewarpFlag FlightPitchDegree FlightRollDegree FlightXSpeed FlightYSpeed " +
		"FlightYawDegree FlightZSpeed GimbalPitchDegree GimbalReverse GimbalRollDegree GimbalYawDegree " +
		"GpsLatitude GpsLongitude GpsLongtitude Latitude Longitude RelativeAltitude RtkFlag RtkStdHgt " +
		"RtkStdLat RtkStdLon SelfData",
	"drone-skydio": "AbsoluteAltitude Latitude Longitude RelativeAltitude",
	"dwc": "AcceptedNameUsage AcceptedNameUsageID AssociatedMedia AssociatedOccurrences AssociatedOrganisms " +
		"AssociatedReferences AssociatedSequences AssociatedTaxa BasisOfRecord Bed Behavior CatalogNumber " +
		"Class CollectionCode CollectionID Continent CoordinatePrecision CoordinateUncertaintyInMeters " +
		"Country CountryCode County CultivarEpithet DataGeneralizations DatasetID DatasetName " +
		"DateIdentified Day DecimalLatitude DecimalLongitude DegreeOfEstablishment Disposition " +
		"DynamicProperties EarliestAgeOrLowestStage EarliestDate EarliestEonOrLowestEonothem " +
		"EarliestEpochOrLowestSeries EarliestEraOrLowestErathem EarliestPeriodOrLowestSystem EndDayOfYear " +
		"EstablishmentMeans Event EventDate EventID EventRemarks EventTime Family FieldNotes FieldNumber " +
		"FootprintSRS FootprintSpatialFit FootprintWKT Formation FossilSpecimen Genus GeodeticDatum " +
		"GeologicalContext GeologicalContextID GeoreferenceProtocol GeoreferenceRemarks " +
		"GeoreferenceSources GeoreferenceVerificationStatus GeoreferencedBy GeoreferencedDate Group " +
		"Habitat HigherClassification HigherGeography HigherGeographyID HighestBiostratigraphicZone " +
		"HumanObservation Identification IdentificationID IdentificationQualifier " +
		"IdentificationReferences IdentificationRemarks IdentificationVerificationStatus IdentifiedBy " +
		"IdentifiedByID IndividualCount IndividualID InformationWithheld InfraspecificEpithet " +
		"InstitutionCode InstitutionID Island IslandGroup Kingdom LatestAgeOrHighestStage LatestDate " +
		"LatestEonOrHighestEonothem LatestEpochOrHighestSeries LatestEraOrHighestErathem " +
		"LatestPeriodOrHighestSystem LifeStage LithostratigraphicTerms LivingSpecimen Locality " +
		"LocationAccordingTo LocationID LocationRemarks LowestBiostratigraphicZone MachineObservation " +
		"MaterialSample MaterialSampleID MaximumDepthInMeters MaximumDistanceAboveSurfaceInMeters " +
		"MaximumElevationInMeters MeasurementAccuracy MeasurementDeterminedBy MeasurementDeterminedDate " +
		"MeasurementID MeasurementMethod MeasurementOrFact MeasurementRemarks MeasurementType " +
		"MeasurementUnit MeasurementValue Member MinimumDepthInMeters MinimumDistanceAboveSurfaceInMeters " +
		"MinimumElevationInMeters Month Municipality NameAccordingTo NameAccordingToID NamePublishedIn " +
		"NamePublishedInID NamePublishedInYear NomenclaturalCode NomenclaturalStatus Occurrence " +
		"OccurrenceDetails OccurrenceID OccurrenceRemarks OccurrenceStatus Order Organism OrganismID " +
		"OrganismName OrganismQuantity OrganismQuantityType OrganismRemarks OrganismScope " +
		"OriginalNameUsage OriginalNameUsageID OtherCatalogNumbers OwnerInstitutionCode ParentEventID " +
		"ParentNameUsage ParentNameUsageID Pathway Phylum PointRadiusSpatialFit Preparations " +
		"PreservedSpecimen PreviousIdentifications Record RecordNumber RecordedBy RecordedByID " +
		"RelatedResourceID RelationshipAccordingTo RelationshipEstablishedDate RelationshipOfResource " +
		"RelationshipOfResourceID RelationshipRemarks ReproductiveCondition ResourceID " +
		"ResourceRelationship ResourceRelationshipID SampleSizeUnit SampleSizeValue SamplingEffort " +
		"SamplingProtocol ScientificName ScientificNameAuthorship ScientificNameID Sex SpecificEpithet " +
		"StartDayOfYear StateProvince Subgenus Taxon TaxonConceptID TaxonID TaxonRank TaxonRemarks " +
		"TaxonomicStatus TypeStatus VerbatimCoordinateSystem VerbatimCoordinates VerbatimDepth " +
		"VerbatimElevation VerbatimEventDate VerbatimIdentification VerbatimLatitude VerbatimLocality " +
		"VerbatimLongitude VerbatimSRS VerbatimTaxonRank VernacularName VerticalDatum WaterBody Year " +
		"acceptedNameUsage acceptedNameUsageID associatedMedia associatedOccurrences associatedOrganisms " +
		"associatedReferences associatedSequences associatedTaxa basisOfRecord bed behavior catalogNumber " +
		"class collectionCode collectionID continent coordinatePrecision coordinateUncertaintyInMeters " +
		"country countryCode county cultivarEpithet dataGeneralizations datasetID datasetName " +
		"dateIdentified day dctermsLocation decimalLatitude decimalLongitude degreeOfEstablishment " +
		"disposition dynamicProperties earliestAgeOrLowestStage earliestDate earliestEonOrLowestEonothem " +
		"earliestEpochOrLowestSeries earliestEraOrLowestErathem earliestPeriodOrLowestSystem endDayOfYear " +
		"establishmentMeans eventDate eventID eventRemarks eventTime family fieldNotes fieldNumber " +
		"footprintSRS footprintSpatialFit footprintWKT formation genus geodeticDatum geologicalContextID " +
		"georeferenceProtocol georeferenceRemarks georeferenceSources georeferenceVerificationStatus " +
		"georeferencedBy georeferencedDate group habitat higherClassification higherGeography " +
		"higherGeographyID highestBiostratigraphicZone identificationID identificationQualifier " +
		"identificationReferences identificationRemarks identificationVerificationStatus identifiedBy " +
		"identifiedByID individualCount individualID informationWithheld infraspecificEpithet " +
		"institutionCode institutionID island islandGroup kingdom latestAgeOrHighestStage latestDate " +
		"latestEonOrHighestEonothem latestEpochOrHighestSeries latestEraOrHighestErathem " +
		"latestPeriodOrHighestSystem lifeStage lithostratigraphicTerms locality locationAccordingTo " +
		"locationID locationRemarks lowestBiostratigraphicZone materialSampleID maximumDepthInMeters " +
		"maximumDistanceAboveSurfaceInMeters maximumElevationInMeters measurementAccuracy " +
		"measurementDeterminedBy measurementDeterminedDate measurementID measurementMethod " +
		"measurementRemarks measurementType measurementUnit measurementValue member minimumDepthInMeters " +
		"minimumDistanceAboveSurfaceInMeters minimumElevationInMeters month municipality nameAccordingTo " +
		"nameAccordingToID namePublishedIn namePublishedInID namePublishedInYear nomenclaturalCode " +
		"nomenclaturalStatus occurrenceDetails occurrenceID occurrenceRemarks occurrenceStatus order " +
		"organismID organismName organismQuantity organismQuantityType organismRemarks organismScope " +
		"originalNameUsage originalNameUsageID otherCatalogNumbers ownerInstitutionCode parentEventID " +
		"parentNameUsage parentNameUsageID pathway phylum pointRadiusSpatialFit preparations " +
		"previousIdentifications recordNumber recordedBy recordedByID relatedResourceID " +
		"relationshipAccordingTo relationshipEstablishedDate relationshipOfResource " +
		"relationshipOfResourceID relationshipRemarks reproductiveCondition resourceID " +
		"resourceRelationshipID sampleSizeUnit sampleSizeValue samplingEffort samplingProtocol " +
		"scientificName scientificNameAuthorship scientificNameID sex specificEpithet startDayOfYear " +
		"stateProvince subgenus taxonConceptID taxonID taxonRank taxonRemarks taxonomicStatus typeStatus " +
		"verbatimCoordinateSystem verbatimCoordinates verbatimDepth verbatimElevation verbatimEventDate " +
		"verbatimIdentification verbatimLatitude verbatimLocality verbatimLongitude verbatimSRS " +
		"verbatimTaxonRank vernacularName verticalDatum waterBody year",
	"exif": "ApertureValue BodySerialNumber BrightnessValue CFAPattern CameraOwnerName ColorSpace Columns " +
		"ComponentsConfiguration CompositeImage CompositeImageCount CompositeImageExposureTimes " +
		"CompressedBitsPerPixel Contrast CustomRendered DateTimeDigitized DateTimeOriginal " +
		"DeviceSettingDescription DigitalZoomRatio Energy ExifVersion ExposureBiasValue ExposureIndex " +
		"ExposureMode ExposureProgram ExposureTime FNumber FileSource Fired Flash FlashpixVersion " +
		"FocalLength FocalLengthIn35mmFilm FocalPlaneResolutionUnit FocalPlaneXResolution " +
		"FocalPlaneYResolution Function GPSAltitude GPSAltitudeRef GPSAreaInformation GPSDOP " +
		"GPSDestBearing GPSDestBearingRef GPSDestDistance GPSDestDistanceRef GPSDestLatitude " +
		"GPSDestLongitude GPSDifferential GPSHPositioningError GPSImgDirection GPSImgDirectionRef " +
		"GPSLatitude GPSLongitude GPSMapDatum GPSMeasureMode GPSProcessingMethod GPSSatellites GPSSpeed " +
		"GPSSpeedRef GPSStatus GPSTimeStamp GPSTrack GPSTrackRef GPSVersionID GainControl Gamma ISOSpeed " +
		"ISOSpeedRatings ImageUniqueID InteroperabilityIndex LensMake LensModel LensSerialNumber " +
		"LensSpecification LightSource MakerNote MaxApertureValue MeteringMode Mode Names NativeDigest " +
		"OECF OffsetTime OffsetTimeDigitized OffsetTimeOriginal PhotographicSensitivity PixelXDimension " +
		"PixelYDimension RecommendedExposureIndex RedEyeMode RelatedSoundFile Return Rows Saturation " +
		"SceneCaptureType SceneType SensingMethod SensitivityType Settings Sharpness ShutterSpeedValue " +
		"SourceExposureTimesOfCompositeImage SourceImageNumberOfCompositeImage SpatialFrequencyResponse " +
		"SpectralSensitivity StandardOutputSensitivity SubSecTime SubSecTimeDigitized SubSecTimeOriginal " +
		"SubjectArea SubjectDistance SubjectDistanceRange SubjectLocation UserComment Values WhiteBalance " +
		"columns energy fired function mode names pixVersion redEyeMode return rows settings values",
	"exifEX": "Acceleration BodySerialNumber CameraElevationAngle CameraOwnerName CompositeImage " +
		"CompositeImageCount CompositeImageExposureTimes Gamma Humidity ISOSpeed ISOSpeedLatitudeyyy " +
		"ISOSpeedLatitudezzz InteroperabilityIndex LensMake LensModel LensSerialNumber LensSpecification " +
		"MaxExposureTimesOfAll MaxExposureTimesOfUsed MinExposureTimesOfAll MinExposureTimesOfUsed " +
		"NumberOfImagesInSequences NumberOfSequences PhotographicSensitivity Pressure " +
		"RecommendedExposureIndex SensitivityType StandardOutputSensitivity SumOfExposureTimesOfAll " +
		"SumOfExposureTimesOfUsed Temperature TotalExposurePeriod Values WaterDepth maxExposureTimesOfAll " +
		"maxExposureTimesOfUsed minExposureTimesOfAll minExposureTimesOfUsed numberOfImagesInSequences " +
		"numberOfSequences sumOfExposureTimesOfAll sumOfExposureTimesOfUsed totalExposurePeriod values",
	"expressionmedia": "CatalogSets Event People Status",
	"extensis":        "Approved ApprovedBy ClientName JobName JobStatus RoutedTo RoutingNotes WorkToDo",
	"FLIR":            "BandName CentralTemperature CentralWavelength TlinearGain WavelengthFWHM",
	"fpv":             "RichTextComment",
	"GAudio":          "Data Mime",
	"GCamera": "BurstID BurstPrimary DisableAutoCreation HdrPlusMakernote MicroVideo MicroVideoOffset " +
		"MicroVideoPresentationTimestampUs MicroVideoVersion MotionPhoto " +
		"MotionPhotoPresentationTimestampUs MotionPhotoVersion PortraitNote PortraitRequest " +
		"PortraitVersion SpecialTypeID hdrp_makernote shot_log_data",
	"GCreations": "CameraBurstID Type",
	"GDepth": "Confidence ConfidenceMime Data Far Format ImageHeight ImageWidth Manufacturer MeasureType Mime " +
		"Model Near Software Units",
	"geo":     "Point SpatialThing alt lat lat_long location long",
	"georss":  "box elev featureName featureTypeTag floor line point polygon radius relationshipTag where",
	"Geotate": "GeotateGRL GeotatePOI GeotateRGCVersion",
	"GettyImagesGIFT": "AssetID CallForImage CameraFilename CameraMakeModel CameraSerialNumber Composition " +
		"ExclusiveCoverage GIFTFtpPriority ImageRank MediaEventIdDate OriginalCreateDateTime " +
		"OriginalFilename ParentMEID ParentMediaEventID Personality PrimaryFTP RoutingDestinations " +
		"RoutingExclusions SecondaryFTP TimeShot",
	"GFocus": "BlurAtInfinity FocalDistance FocalPointX FocalPointY",
	"GImage": "Data Mime",
	"GPano": "CaptureSoftware CroppedAreaImageHeightPixels CroppedAreaImageWidthPixels CroppedAreaLeftPixels " +
		"CroppedAreaTopPixels ExposureLockUsed FirstPhotoDate FullPanoHeightPixels FullPanoWidthPixels " +
		"InitialCameraDolly InitialHorizontalFOVDegrees InitialVerticalFOVDegrees " +
		"InitialViewHeadingDegrees InitialViewPitchDegrees InitialViewRollDegrees " +
		"LargestValidInteriorRectHeight LargestValidInteriorRectLeft LargestValidInteriorRectTop " +
		"LargestValidInteriorRectWidth LastPhotoDate NorthPosInX PoseHeadingDegrees PosePitchDegrees " +
		"PoseRollDegrees ProjectionType SourcePhotosCount StitchingSoftware UsePanoramaViewer",
	"GSpherical": "CroppedAreaImageHeightPixels CroppedAreaImageWidthPixels CroppedAreaLeftPixels " +
		"CroppedAreaTopPixels FullPanoHeightPixels FullPanoWidthPixels InitialViewHeadingDegrees " +
		"InitialViewPitchDegrees InitialViewRollDegrees ProjectionType SourceCount Spherical StereoMode " +
		"Stitched StitchingSoftware Timestamp",
	"hdr_metadata": "ccv_avg_luminance_nits ccv_max_luminance_nits ccv_min_luminance_nits ccv_primaries_xy " +
		"ccv_white_xy scene_referred",
	"HDRGainMap": "HDRGainMapHeadroom HDRGainMapVersion",
	"hdrgm": "BaseRenditionIsHDR GainMapMax GainMapMin Gamma HDRCapacityMax HDRCapacityMin OffsetHDR OffsetSDR " +
		"Version",
	"ics": "AppVersion FileName ImageRef LabelName ParentReference Reference SubLabels SubVersions " +
		"TagStructure TimeStamp VersRef fileName labelName parentReference reference subLabels versRef",
	"Iptc4xmpCore": "AltTextAccessibility CiAdrCity CiAdrCtry CiAdrExtadr CiAdrPcode CiAdrRegion CiEmailWork " +
		"CiTelWork CiUrlWork CountryCode CreatorContactInfo ExtDescrAccessibility IntellectualGenre " +
		"Location Scene SubjectCode ciAdrCity ciAdrCtry ciAdrExtadr ciAdrPcode ciAdrRegion ciEmailWork " +
		"ciTelWork ciUrlWork",
	"Iptc4xmpExt": "AOCircaDateCreated AOContentDescription AOContributionDescription AOCopyrightNotice AOCreator " +
		"AOCreatorId AOCurrentCopyrightOwnerId AOCurrentCopyrightOwnerName AOCurrentLicensorId " +
		"AOCurrentLicensorName AODateCreated AOPhysicalDescription AOSource AOSourceInvNo AOSourceInvURL " +
		"AOStylePeriod AOTitle AboutCvTerm AddlModelInfo ArtworkOrObject AttLensDescription CVterm " +
		"CircaDateCreated City ContainerFormat Contributor CopyrightYear CountryCode CountryName Creator " +
		"CvId CvTermId CvTermName CvTermRefinedAbout D DataOnScreen Date DigImageGUID DigitalSourceType " +
		"DigitalSourcefileType Dopesheet DopesheetLink EmbdEncRightsExpr EncRightsExpr Episode Event " +
		"EventExt EventId ExternalMetadataLink FeedIdentifier Format GPSAltitude GPSLatitude GPSLongitude " +
		"Genre H Headline HeightPixels Identifier ImageRegion ImageRole IptcLastEdited Link LinkQualifier " +
		"LinkedEncRightsExpr LinkedRightsExpr LocationCreated LocationId LocationName LocationShown " +
		"Manufacturer MaxAvailHeight MaxAvailWidth ModelAge ModelName Name Number OrganisationInImageCode " +
		"OrganisationInImageName OwnersDeviceId PersonCharacteristic PersonDescription PersonHeard " +
		"PersonId PersonInImage PersonInImageWDetails PersonName PlanningRef ProductDescription " +
		"ProductGTIN ProductId ProductInImage ProductName ProvinceState PublicationEvent RCtype RId RRole " +
		"Rating RatingRegion RatingScaleMaxValue RatingScaleMinValue RatingSourceLink RatingValue " +
		"RatingValueLogoLink RbH RbRx RbShape RbUnit RbVertices RbW RbX RbY RecDevice RegEntryRole " +
		"RegItemId RegOrgId Region RegionBoundary RegistryId ReleaseReady RightsExprEncType " +
		"RightsExprLangId Role Season SerialNumber Series SnapshotLink StorylineIdentifier StreamReady " +
		"StylePeriod Sublocation SupplyChainSource TempCoverageFrom TempCoverageTo TemporalCoverage Text " +
		"TimeFormat TimeValue Transcript TranscriptLink Unit UsedVideoFrame Value VideoShotType " +
		"VisualColour W WidthPixels WorkflowTag WorldRegion X Y aOCircaDateCreated aOContentDescription " +
		"aOContributionDescription aOCopyrightNotice aOCreator aOCreatorId aOCurrentCopyrightOwnerId " +
		"aOCurrentCopyrightOwnerName aOCurrentLicensorId aOCurrentLicensorName aODateCreated " +
		"aOPhysicalDescription aOSource aOSourceInvNo aOSourceInvURL aOStylePeriod aOTitle " +
		"attLensDescription audioBitRate audioBitRateMode audioBitsPerSample audioChannelCount city " +
		"countryCode countryName cvId cvTermId cvTermName cvTermRefinedAbout d date encRightsExpr format " +
		"gPSAltitude gPSLatitude gPSLongitude h heightPixels identifier imageRole link linkQualifier " +
		"linkedRightsExpr locationId locationName manufacturer metadataAuthority metadataLastEdited " +
		"metadataLastEditor modelName name number ownersDeviceId parentId personCharacteristic " +
		"personDescription personId personName productDescription productGTIN productId productName " +
		"provinceState rCtype rId rRole ratingRegion ratingScaleMaxValue ratingScaleMinValue " +
		"ratingSourceLink ratingValue ratingValueLogoLink rbH rbRx rbShape rbUnit rbVertices rbW rbX rbY " +
		"regEntryRole regItemId regOrgId region regionBoundary rightsExprEncType rightsExprLangId role " +
		"serialNumber sublocation tempCoverageFrom tempCoverageTo text timeFormat timeValue unit " +
		"usedVideoFrame value videoBitRate videoBitRateMode videoDisplayAspectRatio videoEncodingProfile " +
		"videoStreamsCount w widthPixels worldRegion x y",
	"Item":     "Label Length Mime Padding Semantic URI",
	"iX":       "changes",
	"LImage":   "MajorVersion MinorVersion RightAlbedo",
	"lr":       "hierarchicalSubject privateRTKInfo weightedFlatSubject",
	"mediapro": "CatalogSets Event Location People Status UserFields",
	"MicrosoftPhoto": "CameraSerialNumber CreatorAppId CreatorOpenWithUIOptions DateAcquired FlashManufacturer " +
		"FlashModel ItemSubType LastKeywordIPTC LastKeywordXMP LensManufacturer LensModel Rating",
	"MP": "DateRegionsValid PersonDisplayName PersonEmailDigest PersonLiveIdCID PersonSourceID Rectangle " +
		"RegionInfo Regions dateRegionsValid personDisplayName personEmailDigest personLiveIdCID " +
		"personSourceID rectangle regions",
	"MP1": "Brightness CameraModelID Contrast ExposureCompensation PanoramicStitchCameraMotion " +
		"PanoramicStitchMapType PanoramicStitchPhi0 PanoramicStitchPhi1 PanoramicStitchTheta0 " +
		"PanoramicStitchTheta1 PipelineVersion StreamType WhiteBalance0 WhiteBalance1 WhiteBalance2",
	"MPReg":    "PersonDisplayName PersonEmailDigest PersonLiveIdCID PersonSourceID Rectangle",
	"MPRI":     "DateRegionsValid Regions",
	"mwg-coll": "CollectionName CollectionURI Collections collectionName collectionURI",
	"mwg-kw":   "Applied Children Hierarchy Keyword Keywords applied children hierarchy keyword",
	"mwg-rs": "AppliedToDimensions Area BarCodeValue D Description Extensions FocusUsage H Name RegionList " +
		"Regions Rotation SeeAlso Type Unit W X Y appliedToDimensions area barCodeValue d description " +
		"extensions focusUsage h name regionList rotation seeAlso type unit w x y",
	"nine": "Label Rating Trim about version",
	"pdf": "Author Copyright CreationDate Creator Keywords Marked ModDate PDFVersion Producer Subject Title " +
		"Trapped",
	"photomechanic": "ColorClass CountryCode EditStatus PMVersion Prefs Tagged TimeCreated",
	"photoshop": "ApertureValue Author AuthorsPosition AutoScale CameraPrettyName CameraProfiles CameraRawProfile " +
		"CaptionWriter Category City ColorMode Country Credit DateCreated DocumentAncestors " +
		"EmbeddedXMPDigest FocalLength FocusDistance Headline History ICCProfile ImageXCenter " +
		"ImageYCenter Instructions LayerName LayerText LegacyIPTCDigest Lens LensPrettyName Make Model " +
		"PerspectiveModel ProfileName RadialDistortParam1 RadialDistortParam2 RadialDistortParam3 " +
		"ScaleFactor SensorFormatFactor SidecarForExtension Source State SupplementalCategories " +
		"TextLayers TransmissionReference UniqueCameraModel Urgency Version apertureValue author " +
		"autoScale cameraPrettyName cameraRawProfile focalLength focusDistance imageXCenter imageYCenter " +
		"layerName layerText lens lensPrettyName make model perspectiveModel profileName " +
		"radialDistortParam1 radialDistortParam2 radialDistortParam3 scaleFactor sensorFormatFactor " +
		"uniqueCameraModel version",
	"plus": "AdultContentWarning CopyrightOwner CopyrightOwnerID CopyrightOwnerName " +
		"CopyrightRegistrationNumber CopyrightStatus CreditLineRequired Custom1 Custom10 Custom2 Custom3 " +
		"Custom4 Custom5 Custom6 Custom7 Custom8 Custom9 EndUser EndUserID EndUserName " +
		"FileNameAsDelivered FirstPublicationDate ImageAlterationConstraints ImageCreator ImageCreatorID " +
		"ImageCreatorImageID ImageCreatorName ImageDuplicationConstraints ImageFileConstraints " +
		"ImageFileFormatAsDelivered ImageFileSizeAsDelivered ImageID ImageNotes ImageSupplier " +
		"ImageSupplierID ImageSupplierImageID ImageSupplierName ImageType LicenseEndDate LicenseID " +
		"LicenseStartDate LicenseTransactionDate Licensee LicenseeID LicenseeName Licensor LicensorCity " +
		"LicensorCountry LicensorEmail LicensorExtendedAddress LicensorID LicensorName LicensorPostalCode " +
		"LicensorRegion LicensorStreetAddress LicensorTelephone1 LicensorTelephone2 " +
		"LicensorTelephoneType1 LicensorTelephoneType2 LicensorURL MediaConstraints MediaSummaryCode " +
		"MinorModelAgeDisclosure ModelReleaseID ModelReleaseStatus Notes OtherConditions OtherConstraints " +
		"OtherImageInfo OtherLicenseDocuments OtherLicenseInfo OtherLicenseRequirements " +
		"ProductOrServiceConstraints ProjectReference PropertyReleaseID PropertyReleaseStatus " +
		"RegionConstraints Reuse TermsAndConditionsText TermsAndConditionsURL TransactionID Version " +
		"copyrightOwnerID copyrightOwnerName endUserID endUserName imageCreatorID imageCreatorName " +
		"imageID imageNotes imageSupplierID imageSupplierName licenseeID licenseeName licensorCity " +
		"licensorCountry licensorEmail licensorExtendedAddress licensorID licensorName licensorPostalCode " +
		"licensorRegion licensorStreetAddress licensorTelephone1 licensorTelephone2 " +
		"licensorTelephoneType1 licensorTelephoneType2 licensorURL notes projectReference transactionID",
	"pmi": "color contactInfo displayName distributorProductID eventAlias eventEnd eventStart eventSubtype " +
		"eventType field framing location make manufacturer model modelYear objectDescription " +
		"objectSubtype objectType orientation positionDescriptor productID productIDType season " +
		"sequenceName sequenceNumber sequenceTotalNumber setting shootID slideshowName slideshowNumber " +
		"slideshowTotalNumber viewpoint visualTechnique",
	"prism": "A-lang A-platform Channel Date Day Subchannel1 Subchannel2 Subchannel3 Subchannel4 Text Url " +
		"a-lang a-platform academicField aggregateIssueNumber aggregationType alternateTitle blogTitle " +
		"blogURL bookEdition byteCount channel complianceProfile contentType copyrightYear " +
		"corporateEntity coverDate coverDisplayDate creationDate date dateRecieved day device distributor " +
		"doi eIssn edition endingPage event genre hasAlternative hasCorrection hasTranslation industry " +
		"isAlternativeOf isCorrectionOf isTranslationOf isbn issn issueIdentifier issueName issueTeaser " +
		"issueType keyword killDate link location modificationDate nationalCatalogNumber number object " +
		"offSaleDate onSaleDate onSaleDay organization originPlatform pageCount pageProgressionDirection " +
		"pageRange person platform productCode profession publicationDate publicationDisplayDate " +
		"publicationName publishingFrequency rating samplePageRange section sellingAgency seriesNumber " +
		"seriesTitle sport startingPage subchannel1 subchannel2 subchannel3 subchannel4 subsection1 " +
		"subsection2 subsection3 subsection4 subtitle supplementDisplayID supplementStartingPage " +
		"supplementTitle teaser text ticker timePeriod url uspsNumber versionIdentifier volume wordCount",
	"prl": "geography industry usage",
	"prm": "cookingEquipment cookingMethod course cuisine dietaryNeeds dishType duration ingredientExclusion " +
		"mainIngredient meal recipeEndingPage recipePageRange recipeSource recipeStartingPage recipeTitle " +
		"servingSize skillLevel specialOccasion yield",
	"pur": "adultContentWarning agreement copyright creditLine embargoDate exclusivityEndDate expirationDate " +
		"imageSizeRestriction optionEndDate permissions restrictions reuseProhibited rightsAgent " +
		"rightsOwner",
	"sdc":    "about appname appversion version",
	"stArea": "d h unit w x y",
	"stDim":  "h unit w",
	"stEvt":  "action changed instanceID parameters softwareAgent when",
	"stFnt":  "childFontFiles composite fontFace fontFamily fontFileName fontName fontType versionString",
	"stJob":  "id name url",
	"stMfs":  "linkForm placedResolutionUnit placedXResolution placedYResolution reference",
	"stRef": "alternatePaths documentID filePath fromPart instanceID lastModifyDate lastURL linkCategory " +
		"linkForm manageTo manageUI manager managerVariant maskMarkers originalDocumentID partMapping " +
		"renditionClass renditionParams toPart versionID",
	"stVer": "comments event modifier modifyDate version",
	"swf":   "bgalpha forwardlock maxstorage type",
	"tiff": "Artist BitsPerSample Compression Copyright DateTime ImageDescription ImageLength ImageWidth " +
		"JPEGInterchangeFormat JPEGInterchangeFormatLength Make Model NativeDigest Orientation " +
		"PhotometricInterpretation PlanarConfiguration PrimaryChromaticities ReferenceBlackWhite " +
		"ResolutionUnit SamplesPerPixel Software TransferFunction WhitePoint XResolution " +
		"YCbCrCoefficients YCbCrPositioning YCbCrSubSampling YResolution",
	"xmp": "Advisory Author BaseURL CreateDate CreatorTool Description Format Height Identifier Image " +
		"Keywords Label MetadataDate ModifyDate Nickname PageInfo PageNumber Rating RatingPercent " +
		"Thumbnails Title Width format height image pageNumber width",
	"xmpBJ": "Id JobRef Name Url id name url",
	"xmpDM": "A B Black Blue Comment CuePointParams CuePointType Cyan Duration FrameOverlappingPercentage " +
		"FrameRate FrameSize Gray Green H Key L Location Magenta Managed Markers Mode Name Path " +
		"Probability Quality Red RiseInDecibel RiseInTimeDuration Scale Speaker StartTime SwatchName " +
		"Target TimeFormat TimeValue Tint Track TrackName TrackType Tracks Type Unit UseFileBeatsMarker " +
		"Value W WebStatement Yellow a absPeakAudioFilePath album altTapeName altTimecode artist " +
		"audioChannelType audioCompressor audioModDate audioSampleRate audioSampleType b beatSpliceParams " +
		"black blue cameraAngle cameraLabel cameraModel cameraMove client comment composer " +
		"contributedMedia copyright cuePointParams cuePointType cyan director directorPhotography " +
		"discNumber duration engineer fileDataRate frameOverlappingPercentage frameRate frameSize genre " +
		"good gray green h instrument introTime key l location logComment loop lyrics magenta managed " +
		"markers metadataModDate mode name numberOfBeats outCue partOfCompilation path probability " +
		"projectName projectRef pullDown quality red relativePeakAudioFilePath relativeTimestamp " +
		"releaseDate resampleParams riseInDecibel riseInTimeDuration scale scaleType scene shotDate " +
		"shotDay shotLocation shotName shotNumber shotSize speaker speakerPlacement startTime " +
		"startTimeSampleSize startTimeScale startTimecode stretchMode swatchName takeNumber tapeName " +
		"target tempo timeFormat timeScaleParams timeSignature timeValue tint track trackName trackNumber " +
		"trackType type unit useFileBeatsMarker value videoAlphaMode videoAlphaPremultipleColor " +
		"videoAlphaUnityIsTransparent videoColorSpace videoCompressor videoFieldOrder videoFrameRate " +
		"videoFrameSize videoModDate videoPixelAspectRatio videoPixelDepth w webStatement yellow",
	"xmpGImg": "format height image width",
	"xmpidq":  "Scheme",
	"xmpMM": "Action AlternatePaths Changed Comments DerivedFrom DocumentID Event FilePath FromPart History " +
		"Ingredients InstanceID LastModifyDate LastURL LinkCategory LinkForm ManageTo ManageUI " +
		"ManagedFrom Manager ManagerVariant Manifest MaskMarkers Modifier ModifyDate OriginalDocumentID " +
		"Pantry Parameters PartMapping PlacedResolutionUnit PlacedXResolution PlacedYResolution " +
		"PreservedFileName Reference RenditionClass RenditionOf RenditionParams SaveID SoftwareAgent " +
		"ToPart Version VersionID Versions When action alternatePaths changed comments documentID event " +
		"filePath fromPart instanceID lastModifyDate lastURL linkCategory linkForm manageTo manageUI " +
		"manager managerVariant maskMarkers modifier modifyDate originalDocumentID parameters partMapping " +
		"placedResolutionUnit placedXResolution placedYResolution reference renditionClass " +
		"renditionParams softwareAgent subject toPart version versionID when",
	"xmpNote":   "HasExtendedXMP",
	"xmpPLUS":   "CreditLineReq ReuseAllowed",
	"xmpRights": "Certificate Marked Owner UsageTerms WebStatement",
	"xmpTPg": "A B Black Blue ChildFontFiles Colorants Composite Cyan FontFace FontFamily FontFileName FontName " +
		"FontType Fonts Gray Green GroupName GroupType H HasVisibleOverprint HasVisibleTransparency L " +
		"Magenta MaxPageSize Mode NPages PlateNames Red SwatchGroups SwatchName Tint Type Unit " +
		"VersionString W Yellow a b black blue childFontFiles colorants composite cyan fontFace " +
		"fontFamily fontFileName fontName fontType gray green groupName groupType h l magenta mode red " +
		"swatchName tint type unit versionString w yellow",
}
