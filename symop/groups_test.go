package symop_test

import "strings"

// spaceGroups are operator lists as gemmi 0.5.7 prints them
// (gemmi.find_spacegroup_by_name(name).operations()), with each group's
// Laue class.
var spaceGroups = []struct {
	name, laue string
	ops        string
}{
	{"P 1", "-1", "x,y,z"},
	{"P -1", "-1", "x,y,z;-x,-y,-z"},
	{"P 1 21 1", "2/m", "x,y,z;-x,y+1/2,-z"},
	{"C 1 2 1", "2/m", "x,y,z;-x,y,-z;x+1/2,y+1/2,z;-x+1/2,y+1/2,-z"},
	{"P 21 21 21", "mmm", "x,y,z;-x+1/2,-y,z+1/2;x+1/2,-y+1/2,-z;-x,y+1/2,-z+1/2"},
	{"P 41 21 2", "4/mmm", "x,y,z;-y+1/2,x+1/2,z+1/4;-x,-y,z+1/2;y+1/2,-x+1/2,z+3/4;x+1/2,-y+1/2,-z+3/4;-y,-x,-z+1/2;-x+1/2,y+1/2,-z+1/4;y,x,-z"},
	{"P 4", "4/m", "x,y,z;-y,x,z;-x,-y,z;y,-x,z"},
	{"P 61", "6/m", "x,y,z;x-y,x,z+1/6;-y,x-y,z+1/3;-x,-y,z+1/2;-x+y,-x,z+2/3;y,-x+y,z+5/6"},
	{"R 3:H", "-3", "x,y,z;-y,x-y,z;-x+y,-x,z;x+2/3,y+1/3,z+1/3;-y+2/3,x-y+1/3,z+1/3;-x+y+2/3,-x+1/3,z+1/3;x+1/3,y+2/3,z+2/3;-y+1/3,x-y+2/3,z+2/3;-x+y+1/3,-x+2/3,z+2/3"},
}

// opLines is a group's operators one a line, as a -symops file holds them.
func opLines(ops string) string { return strings.ReplaceAll(ops, ";", "\n") + "\n" }
