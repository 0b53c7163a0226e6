package icc

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// The texts of well-known standard profiles, as their makers (colour
// standards bodies, operating-system, camera, software and phone vendors)
// ship them. A profile whose desc and cprt hold only such text carries no
// personal name. '#' matches one decimal digit (years). No person's,
// studio's or host's name may ever be added here.
var knownDescriptions = []string{
	"sRGB IEC61966-2.1",
	"sRGB IEC61966-2-1 black scaled",
	"sRGB IEC61966-2-1 no black scaling",
	"sRGB IEC61966-2.1 (Equivalent)",
	"sRGB",
	"sRGB built-in",
	"sRGB2014",
	"sRGB v4 ICC preference perceptual intent beta",
	"sRGB Gamut with sRGB Transfer",
	"sRGB Profile",
	"sRGB v1.31 (Canon)",
	"sRGB Monitor (for DiMAGE Master)",
	"GIMP built-in sRGB",
	"GIMP built-in Linear sRGB",
	"Display P3",
	"Display P3 Gamut with sRGB Transfer",
	"DCI-P3 D65 Gamut with sRGB Transfer",
	"Apple Display P3",
	"Adobe RGB (1998)",
	"Artifex Software A98 ICC Profile",
	"ProPhoto RGB",
	"ROMM RGB",
	"Reference Output Medium Metric(ROMM)",
	"Camera RGB Profile",
	"Generic RGB Profile",
	"Generic Gray Profile",
	"Generic Gray Gamma 2.2 Profile",
	"Generic CMYK Profile",
	"Gray Gamma 2.2",
	"Gray Gamma 1.8",
	"Dot Gain 10%", "Dot Gain 15%", "Dot Gain 20%", "Dot Gain 25%", "Dot Gain 30%",
	"U.S. Web Coated (SWOP) v2",
	"U.S. Web Uncoated v2",
	"U.S. Sheetfed Coated v2",
	"U.S. Sheetfed Uncoated v2",
	"Coated FOGRA27 (ISO 12647-2:2004)",
	"Coated FOGRA39 (ISO 12647-2:2004)",
	"Uncoated FOGRA29 (ISO 12647-2:2004)",
	"Japan Color 2001 Coated",
	"Japan Color 2001 Uncoated",
	"Euroscale Coated v2",
	"Euroscale Uncoated v2",
	"c2",
	"IEC http://www.iec.ch",
	"IEC 61966-2.1 Default RGB colour space - sRGB",
	"Reference Viewing Condition in IEC61966-2.1",
	"KODAK",
	"Canon Inc.",
	"darktable",
	"Darktable",
	"photoscrub profile",
}

var knownCopyrights = []string{
	"Copyright (c) 1998 Hewlett-Packard Company",
	"Copyright International Color Consortium, ####",
	"Copyright International Color Consortium ####",
	"Copyright Apple Inc., ####",
	"Copyright Apple Computer Inc., ####",
	"Copyright #### Apple Computer Inc., all rights reserved.",
	"Copyright #### Apple Inc., all rights reserved.",
	"Copyright #### Adobe Systems Incorporated",
	"Copyright (c) #### Adobe Systems Incorporated. All Rights Reserved.",
	"Copyright #### Adobe Systems, Inc.",
	"Copyright (c) ####, Canon Inc.  All rights reserved.",
	"Copyright (c) Eastman Kodak Company, ####, all rights reserved.",
	"Copyright #### KONICA MINOLTA PHOTO IMAGING, INC.",
	"Copyright (c) #### Samsung Electronics Co., Ltd.",
	"Copyright Artifex Software ####",
	"Copyright (c) #### Google Inc.",
	"Google Inc. ####",
	"Copyright ####, Google Inc.",
	"FB",
	"CC0",
	"Public Domain",
	"No copyright, use freely",
	"no copyright, use freely",
}

var knownSet = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range [][]string{knownDescriptions, knownCopyrights} {
		for _, s := range l {
			if !strings.Contains(s, "#") {
				m[s] = true
			}
		}
	}
	return m
}()

var knownPatterns = func() []string {
	var p []string
	for _, s := range knownCopyrights {
		if strings.Contains(s, "#") {
			p = append(p, s)
		}
	}
	return p
}()

// known reports whether s is a known standard profile's text.
func known(s string) bool {
	s = strings.TrimRight(s, " ")
	if knownSet[s] {
		return true
	}
	for _, p := range knownPatterns {
		if match(p, s) {
			return true
		}
	}
	return false
}

func match(p, s string) bool {
	if len(p) != len(s) {
		return false
	}
	for i := range len(p) {
		if p[i] == '#' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if p[i] != s[i] {
			return false
		}
	}
	return true
}

func allKnown(strs []string) bool {
	for _, s := range strs {
		if !known(s) {
			return false
		}
	}
	return true
}

// standardName returns the description Rebuild writes for a profile whose
// description texts are strs (all known): the first that is a standard
// profile's name from the fixed list, or "" for the neutral one.
func standardName(strs []string) string {
	for _, s := range strs {
		s = strings.TrimRight(s, " ")
		for _, d := range knownDescriptions {
			if d == s {
				return d
			}
		}
	}
	return ""
}

// knownProfiles are whole well-known public profiles, by profile size and
// the SHA-256 of everything after the header (tag table and data): a
// profile that matches one is a byte-identical copy of a public standard
// profile, so its informational tags (device descriptions, viewing
// conditions, measurement, technology, vendor tags) carry nothing
// personal and are not findings. Rebuild still drops them.
var knownProfiles = map[int][]string{
	// sRGB IEC61966-2.1, Hewlett-Packard 1998 (the profile most cameras
	// and Windows embed); any rendering intent in the header.
	3144: {"2c4d46e1e255995e1d2592fecec4d8bf7e1dc78179a1cbf2d607301debc630b3"},
	// sRGB v1.31 (Canon), embedded by Canon cameras and software.
	3140: {"2354c016e67f2836bffc88f40717ce3e158469051fdc002c67721fce49361ecf"},
}

func knownProfile(prof []byte) bool {
	hs, ok := knownProfiles[len(prof)]
	if !ok {
		return false
	}
	sum := sha256.Sum256(prof[headerLen:])
	return slices.Contains(hs, hex.EncodeToString(sum[:]))
}
